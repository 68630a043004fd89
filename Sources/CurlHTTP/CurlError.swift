internal import Foundation

/// A transport failure: the exchange did not produce an HTTP response. Names the curl code and message,
/// the method and the URL without its query; never a header value (so never a token).
public struct CurlError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, in terms a caller acts on.
    public enum Kind: String, Sendable, Hashable {
        /// Nothing listens, or the connection could not be set up in time.
        case connect
        /// The host name did not resolve.
        case resolve
        /// The connect, total or low-speed timeout fired.
        case timeout
        /// The connection broke mid-exchange (reset, empty reply, short body).
        case connectionLost
        /// TLS failed (handshake, certificate verification, CA bundle).
        case tls
        /// The body exceeded ``CurlOptions/maxResponseBytes``.
        case responseTooLarge
        /// A bad URL or option: a caller's mistake.
        case invalidRequest
        /// Anything else.
        case other
    }

    public var kind: Kind
    /// The `CURLcode` number.
    public var code: Int
    /// `curl_easy_strerror` of the code plus libcurl's detailed message.
    public var message: String
    /// `METHOD scheme://host/path` (no query, no credentials).
    public var request: String

    public init(kind: Kind, code: Int, message: String, request: String) {
        self.kind = kind
        self.code = code
        self.message = message
        self.request = request
    }

    /// Whether trying again may help (connect failures, timeouts, dropped connections).
    public var isTransient: Bool { [.connect, .timeout, .connectionLost, .resolve].contains(kind) }

    public var description: String { "\(request): curl error \(code) (\(kind.rawValue)): \(message)" }

    /// `METHOD url` with the query, fragment and any userinfo removed.
    static func describe(method: String, url: String) -> String {
        var u = url
        if let cut = u.firstIndex(where: { $0 == "?" || $0 == "#" }) { u = String(u[..<cut]) }
        if let schemeEnd = u.range(of: "://") {
            let rest = u[schemeEnd.upperBound...]
            let hostEnd = rest.firstIndex(of: "/") ?? rest.endIndex
            if let at = rest[..<hostEnd].lastIndex(of: "@") {
                u = String(u[..<schemeEnd.upperBound]) + String(rest[rest.index(after: at)...])
            }
        }
        return "\(method) \(u)"
    }
}
