internal import Foundation
public import HTTPTypes
internal import JSON
public import Promotion

/// An RFC 9457 problem: what a client did wrong (or what went wrong here), as `application/problem+json` with every
/// failing field named in `errors`.
public struct Problem: Error, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    /// A short, stable slug: the problem `type` is `urn:promote:problem:<slug>`.
    public var slug: String
    public var title: String
    public var detail: String?
    public var errors: [FieldProblem]
    /// Extra response headers (`WWW-Authenticate`, `Retry-After`).
    public var headers: HTTPFields

    public init(
        _ status: HTTPResponse.Status, _ slug: String, _ title: String, detail: String? = nil, errors: [FieldProblem] = [],
        headers: HTTPFields = [:]
    ) {
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    /// The problem for an intake rejection (400, 413, 415 or 422).
    public init(_ rejection: IntakeRejection) {
        let slug = switch rejection.status {
        case 413: "body-too-large"
        case 415: "unsupported-media-type"
        case 422: "invalid-event"
        default: "malformed-body"
        }
        self.init(HTTPResponse.Status(code: rejection.status), slug, rejection.title, errors: rejection.problems)
    }

    /// 401 with a challenge; `reason` says what was wrong without echoing any secret.
    public static func unauthorized(_ reason: String) -> Problem {
        Problem(
            .unauthorized, "unauthorized", "authentication failed", detail: reason,
            headers: [.wwwAuthenticate: #"Bearer realm="promote", Webhook realm="promote""#])
    }

    /// 503 while the state store cannot write (locked, disk full): nothing was stored; retry later.
    public static let storeUnavailable = Problem(
        .serviceUnavailable, "store-unavailable", "the state store cannot write right now",
        detail: "nothing was stored; send the request again later", headers: [.retryAfter: "5"])

    public var description: String { "\(status.code) \(title)" + (detail.map { ": \($0)" } ?? "") }

    /// The JSON body.
    public var body: [UInt8] {
        var object: [String: JSONValue] = [
            "type": .string("urn:promote:problem:\(slug)"), "title": .string(title), "status": .number(Double(status.code)),
        ]
        if let detail { object["detail"] = .string(detail) }
        if !errors.isEmpty {
            object["errors"] = .array(errors.map { .object(["field": .string($0.field), "message": .string($0.message)]) })
        }
        return Array(JSONWriter.write(.object(object)))
    }
}
