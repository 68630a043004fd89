import CurlHTTP
import Foundation
import JSON
import MLflowRegistry
import Promotion
import Testing
import TestSupport

/// ``MLflowClient`` against a real MLflow 3.17.2 server on loopback, seeded through its REST API. Fails (does not
/// skip) when mlflow is not installed: run scripts/setup.sh.
@Suite(.serialized) struct MLflowServerTests {
    @Test(.timeLimit(.minutes(5)))
    func realServer() async throws {
        let started = Date()
        let server = try MLflowTestServer.start()
        defer {
            let gone = server.stop()
            #expect(gone, "the MLflow server still listens after stop()")
        }
        let seeded = try server.seed()
        let runID = try #require(seeded["run_id"]?.string)
        let experiment = try #require(seeded["experiment_id"]?.string)
        func version(_ key: String) throws -> String { try #require(seeded["versions"]?[key]?.string, "no seeded version \(key)") }
        let runURL = "\(server.url)/#/experiments/\(experiment)/runs/\(runID)"
        // The run logged accuracy 0.91 then 0.93 at a later step, and f1 0.88; the logged model's metrics (accuracy
        // 0.95, f1 0.9) are logged through the run too, so the run's latest f1 is 0.9.
        let runMetrics = ["accuracy": 0.93, "f1": 0.9]

        let plain = MLflowClient(baseURL: server.url + "/")
        let mapped = MLflowClient(baseURL: server.url, artifactsDestination: "gs://ml-artifacts/")

        // runs:/<run>/model → the run's artifact_uri + /model, kept as mlflow-artifacts:/ without a destination...
        let v1 = try await plain.resolve(model: "jukebox", version: try version("runs"))
        #expect(v1.uri == "mlflow-artifacts:/\(experiment)/\(runID)/artifacts/model")
        #expect(v1.metrics == runMetrics)
        #expect(v1.runID == runID)
        #expect(v1.runURL == runURL)
        #expect(v1.model == "jukebox" && v1.version == "1")
        // ...and rewritten onto it with one.
        let v1m = try await mapped.resolve(model: "jukebox", version: try version("runs"))
        #expect(v1m.uri == "gs://ml-artifacts/\(experiment)/\(runID)/artifacts/model")
        // The artifact really is there, under the server's --artifacts-destination.
        let local = MLflowClient(baseURL: server.url, artifactsDestination: server.artifactsDestination)
        let v1l = try await local.resolve(model: "jukebox", version: try version("runs"))
        #expect(FileManager.default.fileExists(atPath: v1l.uri + "/MLmodel"), "\(v1l.uri)/MLmodel")

        // A plain bucket source is kept as it is; without a run there are no metrics and no link.
        let gs = try await mapped.resolve(model: "jukebox", version: try version("gs"))
        #expect(gs.uri == "gs://models/jukebox/1.4.2")
        #expect(gs.metrics.isEmpty && gs.runID == nil && gs.runURL == nil)
        // With a run, the run still gives metrics and the link.
        let gsRun = try await mapped.resolve(model: "jukebox", version: try version("gs_with_run"))
        #expect(gsRun.uri == "gs://models/jukebox/1.4.3")
        #expect(gsRun.metrics == runMetrics && gsRun.runURL == runURL)
        // mlflow-artifacts:/ given directly (what mlflow.register_model sends).
        let art = try await mapped.resolve(model: "jukebox", version: try version("artifacts"))
        #expect(art.uri == "gs://ml-artifacts/\(experiment)/\(runID)/artifacts/model")
        // models:/jukebox/1 → version 1's source, resolved.
        let ref = try await mapped.resolve(model: "jukebox", version: try version("models_ref"))
        #expect(ref.uri == v1m.uri && ref.metrics == runMetrics)
        // A logged model: its own artifact location and metrics.
        let modelID = try #require(seeded["logged_model"]?["model_id"]?.string, "logged model not seeded: \(seeded["logged_model_error"] ?? .null)")
        let logged = try await mapped.resolve(model: "jukebox", version: try version("logged"))
        #expect(logged.uri == "gs://ml-artifacts/\(experiment)/models/\(modelID)/artifacts")
        #expect(logged.metrics == ["accuracy": 0.95, "f1": 0.9])
        #expect(logged.runID == runID && logged.runURL == runURL)

        // Aliases: unset → nil; set, read back, listed on the version, moved.
        #expect(try await plain.version(model: "jukebox", alias: "champion") == nil)
        #expect(try await plain.version(model: "no-such-model", alias: "champion") == nil)
        try await plain.setAlias("champion", model: "jukebox", version: "1")
        #expect(try await plain.version(model: "jukebox", alias: "champion") == "1")
        #expect(try await plain.resolve(model: "jukebox", version: "1").aliases == ["champion"])
        try await plain.setAlias("champion", model: "jukebox", version: "2")
        #expect(try await plain.version(model: "jukebox", alias: "champion") == "2")
        #expect(try await plain.resolve(model: "jukebox", version: "1").aliases == [])

        // Tags, checked through the REST API directly.
        try await plain.setTags(["promote.environment": "production", "promote.state": "live"], model: "jukebox", version: "2")
        let pool = CurlWorkerPool(threads: 1)
        let answer = try await pool.perform(HTTPRequest(url: "\(server.url)/api/2.0/mlflow/model-versions/get?name=jukebox&version=2"))
        let tags = (JSONValue.parse(answer.body)?["model_version"]?["tags"]?.array ?? []).reduce(into: [String: String]()) {
            if let k = $1["key"]?.string, let v = $1["value"]?.string { $0[k] = v }
        }
        #expect(tags == ["promote.environment": "production", "promote.state": "live"])

        // Unknown model or version → notFound, naming the endpoint and MLflow's error code.
        await expectRegistryError(.notFound, containing: ["model-versions/get", "RESOURCE_DOES_NOT_EXIST"]) {
            _ = try await plain.resolve(model: "no-such-model", version: "1")
        }
        await expectRegistryError(.notFound, containing: ["RESOURCE_DOES_NOT_EXIST"]) {
            _ = try await plain.resolve(model: "jukebox", version: "99")
        }
        await expectRegistryError(.notFound, containing: ["registered-models/alias"]) {
            try await plain.setAlias("champion", model: "no-such-model", version: "1")
        }
        print("MLflowServerTests.realServer: \(String(format: "%.1f", Date().timeIntervalSince(started))) s including start and stop")
    }

    /// A URL where nothing listens → `.unavailable`, quickly, after the bounded retries.
    @Test(.timeLimit(.minutes(1)))
    func unreachableServerIsUnavailable() async throws {
        let port = try GitPorts.free()
        let client = MLflowClient(baseURL: "http://127.0.0.1:\(port)", token: "secret-token-1234")
        let clock = ContinuousClock()
        let start = clock.now
        await expectRegistryError(.unavailable, containing: ["model-versions/get", "127.0.0.1:\(port)", "3 attempts"]) {
            _ = try await client.resolve(model: "jukebox", version: "1")
        }
        #expect(clock.now - start < .seconds(10))
    }
}

/// Expects `body` to throw a ``RegistryError`` of `kind` whose message contains every string of `containing`.
func expectRegistryError(
    _ kind: RegistryError.Kind, containing: [String] = [], sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected RegistryError .\(kind.rawValue), nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as RegistryError {
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        for text in containing {
            #expect(error.message.contains(text), "\(error.message) should contain \(text)", sourceLocation: sourceLocation)
        }
        #expect(!error.message.contains("secret-token-1234"), sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected RegistryError .\(kind.rawValue), got \(error)", sourceLocation: sourceLocation)
    }
}
