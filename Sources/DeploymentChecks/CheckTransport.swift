internal import CurlHTTP

/// What ``DeploymentChecksClient`` sends requests through: the curl worker pool in production, recorded answers in
/// unit tests.
protocol CheckTransport: Sendable {
    func perform(_ request: HTTPRequest) async throws(CurlError) -> HTTPResponse
}

extension CurlWorkerPool: CheckTransport {}
