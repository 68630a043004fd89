/// A forge webhook delivery that cannot be decoded. Each case names the header or the JSON field at fault.
public enum ForgeWebhookError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The event-type header is absent; its canonical name, e.g. `X-GitHub-Event`.
    case missingHeader(String)
    /// The body is not JSON (or not a JSON object); `detail` is the parser's message.
    case malformedJSON(detail: String)
    /// A required field is absent or null; `field` is its dotted path, e.g. `pull_request.head.ref`.
    case missingField(String)
    /// A field has the wrong JSON type.
    case wrongType(field: String, expected: String, found: String)

    /// A one-line explanation for logs and problem responses.
    public var description: String {
        switch self {
        case .missingHeader(let name): "missing header \(name)"
        case .malformedJSON(let detail): "the body is not a JSON object: \(detail)"
        case .missingField(let field): "missing field \(field)"
        case .wrongType(let field, let expected, let found): "field \(field) should be \(expected), found \(found)"
        }
    }

    /// The header or dotted field path at fault, for a problem body's pointer; `nil` for unparseable JSON.
    public var field: String? {
        switch self {
        case .missingHeader(let name): name
        case .malformedJSON: nil
        case .missingField(let field), .wrongType(let field, _, _): field
        }
    }
}
