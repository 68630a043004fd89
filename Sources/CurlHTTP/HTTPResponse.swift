public import Foundation

/// An HTTP response as received: any status (4xx and 5xx are responses, not errors), every header, the decoded body.
public struct HTTPResponse: Sendable, Hashable {
    /// The HTTP status code.
    public var status: Int
    /// Every header field of the final response (not of redirects or `100 Continue`), in order.
    public var headers: HTTPHeaders
    /// The body, decompressed when the server sent `Content-Encoding: gzip`/`deflate`/`br`/`zstd`.
    public var body: Data
    /// The HTTP version the exchange used: `1.0`, `1.1`, `2` or `3`.
    public var httpVersion: String
    /// The URL finally requested (after redirects, if any were followed).
    public var effectiveURL: String
    /// Whether the exchange reused an open connection (no new connect).
    public var reusedConnection: Bool

    public init(
        status: Int, headers: HTTPHeaders, body: Data, httpVersion: String = "1.1", effectiveURL: String = "", reusedConnection: Bool = false
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.httpVersion = httpVersion
        self.effectiveURL = effectiveURL
        self.reusedConnection = reusedConnection
    }

    /// The body as UTF-8 text (invalid bytes replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }
}
