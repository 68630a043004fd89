internal import CurlHTTP

/// What ``MLflowClient`` sends requests through: the curl worker pool in production, recorded answers in unit tests.
protocol MLflowTransport: Sendable {
    func perform(_ request: HTTPRequest) async throws(CurlError) -> HTTPResponse
}

extension CurlWorkerPool: MLflowTransport {}
