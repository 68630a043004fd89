import CurlHTTP
@testable import DeploymentChecks
import Foundation
import Logging
import Synchronization
import TestSupport

/// Answers every request with one given answer (or transport failure) and keeps the requests it saw.
final class RecordedSource: CheckTransport {
    struct Answer: Sendable {
        var status: Int
        var body: String
    }

    private let state: Mutex<(answer: Result<Answer, CurlError>, requests: [HTTPRequest])>

    init(status: Int, body: String) { state = Mutex((.success(Answer(status: status, body: body)), [])) }
    init(failure: CurlError) { state = Mutex((.failure(failure), [])) }

    /// A recorded answer from `Tests/Fixtures/<path>` with `status`.
    convenience init(status: Int = 200, fixture path: String) throws {
        let text = try String(contentsOfFile: TestSupport.repositoryRoot + "/Tests/Fixtures/" + path, encoding: .utf8)
        self.init(status: status, body: text)
    }

    var requests: [HTTPRequest] { state.withLock { $0.requests } }

    func perform(_ request: HTTPRequest) async throws(CurlError) -> HTTPResponse {
        let answer = state.withLock { s in
            s.requests.append(request)
            return s.answer
        }
        let a = try answer.get()
        return HTTPResponse(status: a.status, headers: HTTPHeaders(), body: Data(a.body.utf8))
    }

    /// A client that asks this source, holding `tokens` (variable → token).
    func client(tokens: [String: String] = ["ARGOCD_TOKEN": argoToken, "PROM_TOKEN": promToken]) -> DeploymentChecksClient {
        DeploymentChecksClient(tokens: tokens, transport: self, logger: Logger(label: "test.checks"))
    }

    static let argoToken = "argo-t0ken-secret"
    static let promToken = "prom-t0ken-secret"
}
