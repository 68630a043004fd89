import CurlHTTP
@testable import DeploymentChecks
import Foundation
import Promotion
import Testing

/// The Argo CD half of ``DeploymentChecksClient``: the request it sends, Argo CD's real Application JSON (the
/// examples in Tests/Fixtures/argocd, from argoproj/argo-cd's own fixtures) decoded, and every failure mapped to a
/// ``CheckUnavailable`` kind without the token.
@Suite struct ArgoCDCheckTests {
    let settings = VerifySettings.ArgoCD(url: "https://argocd.example", application: "{model}-{env}", tokenEnv: "ARGOCD_TOKEN")

    /// Reads `fixture` as the application `name` (the fixtures' own names: `velero-test`, `my-app`, `my-app-4`).
    func read(_ fixture: String, as name: String) async throws -> (ArgoCDApplicationState, RecordedSource) {
        let source = try RecordedSource(fixture: "argocd/\(fixture)")
        return (try await source.client().argoCDApplication(settings, name: name), source)
    }

    func failure(status: Int, body: String, name: String = "jukebox-staging", tokens: [String: String]? = nil) async -> CheckUnavailable? {
        let source = RecordedSource(status: status, body: body)
        do {
            _ = try await (tokens.map(source.client(tokens:)) ?? source.client()).argoCDApplication(settings, name: name)
            return nil
        } catch {
            return error as? CheckUnavailable
        }
    }

    @Test func syncedHealthyApplicationFromArgoCDsOwnFixture() async throws {
        let (state, source) = try await read("synced-healthy.json", as: "velero-test")
        #expect(state.syncStatus == "Synced")
        #expect(state.healthStatus == "Healthy")
        #expect(state.revision == "rev1")
        #expect(state.operationPhase == "Succeeded")
        #expect(state.message == "operation Succeeded: successfully synced (all tasks run)")
        let request = try #require(source.requests.first)
        #expect(request.method == "GET")
        #expect(request.url == "https://argocd.example/api/v1/applications/velero-test")
        #expect(request.headers["Authorization"] == "Bearer \(RecordedSource.argoToken)")
        #expect(request.headers["Accept"] == "application/json")
    }

    @Test func progressingAndDegradedApplications() async throws {
        let (running, _) = try await read("outofsync-progressing.json", as: "my-app")
        #expect(running == ArgoCDApplicationState(
            syncStatus: "OutOfSync", revision: nil, healthStatus: "Progressing", message: nil, revisions: [], operationPhase: "Running"))
        let (degraded, _) = try await read("outofsync-degraded.json", as: "my-app-4")
        #expect(degraded.syncStatus == "OutOfSync")
        #expect(degraded.healthStatus == "Degraded")
    }

    @Test func multiSourceRevisionsAndMessages() async throws {
        let body = """
            {"metadata": {"name": "jukebox-prod"}, "status": {
              "sync": {"status": "Synced", "revisions": ["1111111111111111111111111111111111111111", "v1.2.0"]},
              "health": {"status": "Progressing", "message": "Waiting for rollout to finish"},
              "operationState": {"phase": "Running", "message": "waiting for healthy state of apps/Deployment/jukebox",
                                 "startedAt": "2026-01-01T00:00:00Z"}}}
            """
        let state = try await RecordedSource(status: 200, body: body).client().argoCDApplication(settings, name: "jukebox-prod")
        #expect(state.revision == nil)
        #expect(state.revisions == ["1111111111111111111111111111111111111111", "v1.2.0"])
        #expect(state.message == "health: Waiting for rollout to finish; operation Running: waiting for healthy state of apps/Deployment/jukebox")
    }

    @Test func applicationWithoutStatusIsUnknownNotAPass() async throws {
        let state = try await RecordedSource(status: 200, body: #"{"metadata": {"name": "new-app"}, "spec": {}}"#)
            .client().argoCDApplication(settings, name: "new-app")
        #expect(state.syncStatus == "Unknown")
        #expect(state.healthStatus == "Unknown")
    }

    @Test func nameIsOnePathSegment() async throws {
        let source = RecordedSource(status: 200, body: #"{"metadata": {"name": "a/../b?x"}}"#)
        _ = try await source.client().argoCDApplication(settings, name: "a/../b?x")
        #expect(source.requests.first?.url == "https://argocd.example/api/v1/applications/a%2F..%2Fb%3Fx")
    }

    @Test func unknownApplicationIsNotFound() async throws {
        // Argo CD's gRPC-gateway error body (`runtimeError`) for a missing application.
        let body = #"{"error":"applications.argoproj.io \"nope\" not found","code":5,"message":"applications.argoproj.io \"nope\" not found"}"#
        let error = try #require(await failure(status: 404, body: body, name: "nope"))
        #expect(error.kind == .notFound)
        #expect(error.message.contains("Argo CD has no application 'nope'"))
        #expect(error.message.contains(#"applications.argoproj.io "nope" not found"#))
        #expect(error.request == "Argo CD GET /api/v1/applications/nope at https://argocd.example")
        #expect(!error.message.contains("base URL"))
        // A 404 without Argo CD's error body: the URL is not Argo CD's API.
        let elsewhere = try #require(await failure(status: 404, body: "404 page not found"))
        #expect(elsewhere.kind == .invalid)
        #expect(elsewhere.message.contains("is the URL Argo CD's base URL?"))
    }

    @Test func refusedTokenIsUnauthorizedAndNeverShown() async throws {
        // A server that echoes the token must not get it into the error.
        let body = #"{"error":"invalid session: token \#(RecordedSource.argoToken) has expired","code":16,"message":"invalid session: token \#(RecordedSource.argoToken) has expired"}"#
        let error = try #require(await failure(status: 401, body: body))
        #expect(error.kind == .unauthorized)
        #expect(!error.description.contains(RecordedSource.argoToken))
        #expect(error.message.contains("***"))
        let forbidden = try #require(await failure(status: 403, body: #"{"error":"permission denied","code":7,"message":"permission denied"}"#))
        #expect(forbidden.kind == .unauthorized)
        #expect(forbidden.message.contains("applications, get"))
    }

    @Test func missingTokenIsUnauthorizedWithoutARequest() async throws {
        let source = RecordedSource(status: 200, body: "{}")
        do {
            _ = try await source.client(tokens: [:]).argoCDApplication(settings, name: "x")
            Issue.record("no error")
        } catch let error as CheckUnavailable {
            #expect(error.kind == .unauthorized)
            #expect(error.message.contains("ARGOCD_TOKEN"))
        }
        #expect(source.requests.isEmpty)
    }

    @Test func serverErrorsAndTransportFailuresAreUnreachable() async throws {
        #expect(await failure(status: 503, body: "upstream connect error")?.kind == .unreachable)
        #expect(await failure(status: 429, body: "")?.kind == .unreachable)
        let source = RecordedSource(failure: CurlError(kind: .connect, code: 7, message: "Failed to connect to 127.0.0.1 port 9", request: "GET x"))
        do {
            _ = try await source.client().argoCDApplication(settings, name: "x")
            Issue.record("no error")
        } catch let error as CheckUnavailable {
            #expect(error.kind == .unreachable)
            #expect(error.isTransient)
            #expect(error.message.contains("Failed to connect"))
        }
    }

    @Test func answersThatAreNotAnApplicationAreUnexpected() async throws {
        #expect(await failure(status: 200, body: "<html>Argo CD</html>")?.kind == .unexpectedResponse)
        #expect(await failure(status: 200, body: #"{"status": {"sync": {"status": 3}}}"#)?.kind == .unexpectedResponse)
        let other = try #require(await failure(status: 200, body: #"{"metadata": {"name": "other"}}"#, name: "mine"))
        #expect(other.kind == .unexpectedResponse)
        #expect(other.message.contains("'other'"))
        #expect(await failure(status: 302, body: "")?.kind == .unexpectedResponse)
    }

    @Test func theClientPrintsItsVariablesNotItsTokens() {
        let client = RecordedSource(status: 200, body: "{}").client()
        for text in [String(describing: client), String(reflecting: client), { var out = ""; dump(client, to: &out); return out }()] {
            #expect(!text.contains(RecordedSource.argoToken) && !text.contains(RecordedSource.promToken))
            #expect(text.contains("ARGOCD_TOKEN"))
        }
    }

    @Test func stateDecodesWithoutTheFieldsAddedLater() throws {
        let old = #"{"syncStatus": "Synced", "revision": "abc", "healthStatus": "Healthy"}"#
        let state = try JSONDecoder().decode(ArgoCDApplicationState.self, from: Data(old.utf8))
        #expect(state == ArgoCDApplicationState(syncStatus: "Synced", revision: "abc", healthStatus: "Healthy"))
        let full = ArgoCDApplicationState(syncStatus: "OutOfSync", revision: nil, healthStatus: "Progressing", message: "m", revisions: ["a", "b"], operationPhase: "Running")
        #expect(try JSONDecoder().decode(ArgoCDApplicationState.self, from: JSONEncoder().encode(full)) == full)
    }
}
