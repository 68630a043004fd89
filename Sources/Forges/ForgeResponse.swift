public import JSON
public import Promotion
public import CurlHTTP
public import Foundation

/// A successful (2xx) forge response.
public struct ForgeResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data
    /// `METHOD /path` of the request, for error messages.
    public var request: String

    /// The body as JSON, or ``ForgeFailure/Kind/unexpectedResponse`` naming the request and what came back.
    public func json() throws(ForgeFailure) -> JSONValue {
        if let v = JSONValue.parse(body) { return v }
        let type = headers["Content-Type"] ?? "no content type"
        let start = String(decoding: body.prefix(80), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: " ")
        throw ForgeFailure(kind: .unexpectedResponse, request: request, status: status,
                           message: "response is not JSON (\(type), \(body.count) bytes: \"\(start)\")")
    }

    /// The `rel="next"` target of the `Link` header, if any.
    public var nextLink: String? {
        for value in headers.values("Link") {
            for part in value.split(separator: ",") {
                let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                guard let target = pieces.first, target.hasPrefix("<"), target.hasSuffix(">") else { continue }
                if pieces.dropFirst().contains(where: { $0.replacingOccurrences(of: " ", with: "") == "rel=\"next\"" || $0 == "rel=next" }) {
                    return String(target.dropFirst().dropLast())
                }
            }
        }
        return nil
    }
}
