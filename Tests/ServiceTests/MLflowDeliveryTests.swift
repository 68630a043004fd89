import Foundation
import JSON
import Promotion
import Service
import Testing
import TestSupport

/// MLflow webhook deliveries (17 real captures from MLflow 3.17.2) decoded, classified and turned into releases.
@Suite struct MLflowDeliveryTests {
    static let folder = TestSupport.repositoryRoot + "/Tests/Fixtures/events/mlflow"
    static let settings = ServiceSettings.MLflow(
        url: "http://mlflow.internal:5000", aliases: ["champion": "production", "staging": "staging"],
        artifactsDestination: "gs://ml-artifacts")

    /// The raw body of a capture (`request.body`, the exact signed bytes).
    static func body(_ file: String) throws -> [UInt8] {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + file))
        let capture = try #require(JSONValue.parse(data))
        return Array(try #require(capture["request"]?["body"]?.string).utf8)
    }

    static var captures: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    }

    static let runID = "b857819fe93c4614bdb931220f73b67c"

    /// What each capture decodes to.
    static let expected: [String: MLflowDelivery] = [
        "01-registered_model.created.json": .registeredModelCreated(model: "jukebox"),
        "02-model_version.created-v1-runs-uri-unsigned.json":
            .versionCreated(model: "jukebox", version: "1", source: "runs:/\(runID)/model", runID: runID),
        "03-model_version.created-v1-runs-uri.json":
            .versionCreated(model: "jukebox", version: "1", source: "runs:/\(runID)/model", runID: runID),
        "04-model_version.created-v2-runs-uri-unsigned.json":
            .versionCreated(model: "jukebox", version: "2", source: "runs:/\(runID)/model", runID: runID),
        "05-model_version.created-v2-runs-uri.json":
            .versionCreated(model: "jukebox", version: "2", source: "runs:/\(runID)/model", runID: runID),
        "06-model_version.created-v3-mlflow-artifacts-uri-unsigned.json":
            .versionCreated(model: "jukebox", version: "3", source: "mlflow-artifacts:/1/\(runID)/artifacts/model", runID: runID),
        "07-model_version.created-v3-mlflow-artifacts-uri.json":
            .versionCreated(model: "jukebox", version: "3", source: "mlflow-artifacts:/1/\(runID)/artifacts/model", runID: runID),
        "08-model_version_tag.set-v1.json": .tagSet(model: "jukebox", version: "1", key: "validation_status", value: "passed"),
        "09-model_version_tag.set-v2.json": .tagSet(model: "jukebox", version: "2", key: "validation_status", value: "pending"),
        "10-model_version_tag.deleted-v2.json": .tagDeleted(model: "jukebox", version: "2", key: "validation_status"),
        "11-model_version_alias.created-champion-v1.json": .aliasCreated(model: "jukebox", alias: "champion", version: "1"),
        "12-model_version_alias.created-staging-v2.json": .aliasCreated(model: "jukebox", alias: "staging", version: "2"),
        "13-model_version_alias.created-champion-v2.json": .aliasCreated(model: "jukebox", alias: "champion", version: "2"),
        "14-model_version_alias.deleted-staging.json": .aliasDeleted(model: "jukebox", alias: "staging"),
        "15-model_version.created-webhook-test-example.json":
            .versionCreated(model: "example_model", version: "1", source: "models:/123", runID: "abcd1234abcd5678"),
        "16-model_version.created-v4-logged-model-unsigned.json":
            .versionCreated(model: "jukebox", version: "4", source: "models:/m-14d17114b7ba4b88900ede7a0890c511", runID: nil),
        "17-model_version.created-v4-logged-model.json":
            .versionCreated(model: "jukebox", version: "4", source: "models:/m-14d17114b7ba4b88900ede7a0890c511", runID: nil),
    ]

    @Test func allSeventeenCapturesAreCovered() {
        #expect(Self.captures.count == 17)
        #expect(Set(Self.captures) == Set(Self.expected.keys))
    }

    @Test(arguments: MLflowDeliveryTests.captures)
    func captureDecodes(_ file: String) throws {
        let delivery = try MLflowDelivery.decode(try Self.body(file))
        #expect(delivery == Self.expected[file])
    }

    @Test func actionsFollowTheAliasMapping() throws {
        func action(_ file: String) throws -> MLflowDelivery.Action {
            try MLflowDelivery.decode(try Self.body(file)).action(settings: Self.settings)
        }
        #expect(try action("03-model_version.created-v1-runs-uri.json") == .release(model: "jukebox", version: "1", environments: nil))
        #expect(try action("11-model_version_alias.created-champion-v1.json") == .release(model: "jukebox", version: "1", environments: ["production"]))
        #expect(try action("12-model_version_alias.created-staging-v2.json") == .release(model: "jukebox", version: "2", environments: ["staging"]))
        for file in ["01-registered_model.created.json", "08-model_version_tag.set-v1.json", "10-model_version_tag.deleted-v2.json",
                     "14-model_version_alias.deleted-staging.json"] {
            guard case .ignore(let reason) = try action(file) else {
                Issue.record("\(file) should be ignored")
                continue
            }
            #expect(!reason.isEmpty)
        }
        // An alias nobody mapped is ignored, and the reason lists the mapped ones.
        let unmapped = ServiceSettings.MLflow(url: "http://m", aliases: ["champion": "production"])
        let staging = try MLflowDelivery.decode(try Self.body("12-model_version_alias.created-staging-v2.json"))
        guard case .ignore(let reason) = staging.action(settings: unmapped) else {
            Issue.record("an unmapped alias should be ignored")
            return
        }
        #expect(reason.contains("'staging'") && reason.contains("'champion'"))
    }

    @Test func idempotencyKeys() throws {
        #expect(try MLflowDelivery.decode(try Self.body("03-model_version.created-v1-runs-uri.json")).idempotencyKey == "mlflow:jukebox@1")
        // Signed and unsigned deliveries of one event are the same release.
        #expect(try MLflowDelivery.decode(try Self.body("02-model_version.created-v1-runs-uri-unsigned.json")).idempotencyKey == "mlflow:jukebox@1")
        #expect(try MLflowDelivery.decode(try Self.body("13-model_version_alias.created-champion-v2.json")).idempotencyKey == "mlflow:jukebox@2#champion")
        #expect(try MLflowDelivery.decode(try Self.body("14-model_version_alias.deleted-staging.json")).idempotencyKey == nil)
        #expect(try MLflowDelivery.decode(try Self.body("08-model_version_tag.set-v1.json")).idempotencyKey == nil)
    }

    @Test func releaseOfANewVersion() throws {
        let delivery = try MLflowDelivery.decode(try Self.body("05-model_version.created-v2-runs-uri.json"))
        let resolved = RegistryVersion(
            model: "jukebox", version: "2", uri: "gs://ml-artifacts/1/\(Self.runID)/artifacts/model",
            metrics: ["accuracy": 0.91, "f1": 0.88], runID: Self.runID,
            runURL: "http://mlflow.internal:5000/#/experiments/1/runs/\(Self.runID)", aliases: ["champion"])
        let release = try delivery.releaseRequest(resolved: resolved, settings: Self.settings)
        #expect(release.model == "jukebox")
        #expect(release.version == "2")
        #expect(release.uri == "gs://ml-artifacts/1/\(Self.runID)/artifacts/model")
        #expect(release.metrics == ["accuracy": 0.91, "f1": 0.88])
        #expect(release.source == ReleaseRequest.Source(runURL: resolved.runURL, pipeline: "mlflow"))
        #expect(release.idempotencyKey == "mlflow:jukebox@2")
        #expect(release.environments == nil)
    }

    @Test func releaseOfAnAlias() throws {
        let delivery = try MLflowDelivery.decode(try Self.body("11-model_version_alias.created-champion-v1.json"))
        let resolved = RegistryVersion(model: "jukebox", version: "1", uri: "gs://models/jukebox/1")
        let release = try delivery.releaseRequest(resolved: resolved, settings: Self.settings)
        #expect(release.environments == ["production"])
        #expect(release.idempotencyKey == "mlflow:jukebox@1#champion")
        #expect(release.source.runURL == nil)
        #expect(release.source.pipeline == "mlflow")
    }

    @Test func releaseRefusals() throws {
        let created = try MLflowDelivery.decode(try Self.body("07-model_version.created-v3-mlflow-artifacts-uri.json"))
        // An mlflow-artifacts:/ URI left unmapped cannot go into a spec: 422 naming `uri`.
        let unmapped = RegistryVersion(model: "jukebox", version: "3", uri: "mlflow-artifacts:/1/\(Self.runID)/artifacts/model")
        let e1 = #expect(throws: IntakeRejection.self) { try created.releaseRequest(resolved: unmapped, settings: Self.settings) }
        #expect(e1?.status == 422)
        #expect(e1?.problems.map(\.field) == ["uri"])
        // Another version than the delivery's.
        let other = RegistryVersion(model: "jukebox", version: "4", uri: "gs://b/x")
        let e2 = #expect(throws: IntakeRejection.self) { try created.releaseRequest(resolved: other, settings: Self.settings) }
        #expect(e2?.status == 422)
        // A delivery that does not release.
        let tag = try MLflowDelivery.decode(try Self.body("08-model_version_tag.set-v1.json"))
        let e3 = #expect(throws: IntakeRejection.self) {
            try tag.releaseRequest(resolved: RegistryVersion(model: "jukebox", version: "1", uri: "gs://b/x"), settings: Self.settings)
        }
        #expect(e3?.status == 422)
        // Metrics the release rules refuse are named.
        let bad = RegistryVersion(model: "jukebox", version: "3", uri: "gs://b/x", metrics: ["bad name!": 1])
        let e4 = #expect(throws: IntakeRejection.self) { try created.releaseRequest(resolved: bad, settings: Self.settings) }
        #expect(e4?.problems.first?.field == "metrics.bad name!")
    }

    @Test func otherEventsAreIgnored() throws {
        let prompt = #"{"entity": "prompt_version", "action": "created", "timestamp": "2026-11-23T12:14:35+00:00", "data": {"name": "p"}}"#
        guard case .ignored(let reason) = try MLflowDelivery.decode(Array(prompt.utf8)) else {
            Issue.record("a prompt event should be ignored")
            return
        }
        #expect(reason.contains("prompt_version.created"))
        let budget = #"{"entity": "budget_policy", "action": "exceeded", "data": {}}"#
        #expect(try MLflowDelivery.decode(Array(budget.utf8)).model == nil)
    }

    @Test(arguments: [
        ("not json", 400, [String]()),
        ("{\"entity\": \"model_version\", \"entity\": \"x\", \"action\": \"created\"}", 400, []),  // duplicate key
        ("[1]", 422, [""]),
        ("{}", 422, ["entity", "action"]),
        ("{\"entity\": 3, \"action\": \"\"}", 422, ["entity", "action"]),
        ("{\"entity\": \"model_version\", \"action\": \"created\"}", 422, ["data"]),
        ("{\"entity\": \"model_version\", \"action\": \"created\", \"data\": []}", 422, ["data"]),
        ("{\"entity\": \"model_version\", \"action\": \"created\", \"data\": {\"name\": \"m\"}}", 422, ["data.version", "data.source"]),
        ("{\"entity\": \"model_version\", \"action\": \"created\", \"data\": {\"name\": \"m\", \"version\": \"1\", \"source\": \"gs://b\", \"run_id\": 5}}",
         422, ["data.run_id"]),
        ("{\"entity\": \"model_version_alias\", \"action\": \"created\", \"data\": {\"name\": \"\", \"alias\": \"a\", \"version\": true}}",
         422, ["data.name", "data.version"]),
        ("{\"entity\": \"model_version_alias\", \"action\": \"deleted\", \"data\": {\"name\": \"m\"}}", 422, ["data.alias"]),
        ("{\"entity\": \"model_version_tag\", \"action\": \"set\", \"data\": {\"name\": \"m\", \"version\": \"1\", \"key\": \"k\"}}",
         422, ["data.value"]),
        ("{\"entity\": \"registered_model\", \"action\": \"created\", \"data\": {\"name\": null}}", 422, ["data.name"]),
    ])
    func malformedDeliveries(_ body: String, _ status: Int, _ fields: [String]) {
        let error = #expect(throws: IntakeRejection.self) { try MLflowDelivery.decode(Array(body.utf8)) }
        #expect(error?.status == status)
        #expect(error?.problems.map(\.field) == fields)
    }

    @Test func numericVersionsAreAccepted() throws {
        let body = #"{"entity": "model_version_alias", "action": "created", "data": {"name": "m", "alias": "champion", "version": 7}}"#
        #expect(try MLflowDelivery.decode(Array(body.utf8)) == .aliasCreated(model: "m", alias: "champion", version: "7"))
    }

    @Test func oversizeBodyIs413() {
        let body = [UInt8](repeating: UInt8(ascii: " "), count: EventIntake.maxBodyBytes + 1)
        let error = #expect(throws: IntakeRejection.self) { try MLflowDelivery.decode(body) }
        #expect(error?.status == 413)
    }
}
