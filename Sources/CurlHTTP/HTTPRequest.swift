public import Foundation

/// One HTTP request: method, absolute URL, headers and an optional body.
public struct HTTPRequest: Sendable, Hashable {
    public var method: String
    public var url: String
    public var headers: HTTPHeaders
    public var body: Data?

    public init(method: String = "GET", url: String, headers: HTTPHeaders = HTTPHeaders(), body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}
