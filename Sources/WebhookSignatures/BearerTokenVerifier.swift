/// Checks `Authorization: Bearer <token>` against a list of accepted tokens, the alternative to signatures on
/// `POST /v1/events`.
///
/// Every configured token is compared, with no early exit, through ``ConstantTime/tokensEqual(_:_:)``, so neither
/// which token matched nor how long the tokens are shows in the timing.
public struct BearerTokenVerifier: Sendable {
    /// The header name, lowercased.
    public static let header = "authorization"

    private let tokens: [String]

    /// Makes a checker for `tokens`.
    /// - Parameters:
    ///   - tokens: the accepted tokens; each must be non-empty and free of spaces.
    /// - Throws: ``WebhookSecretError`` when the list is empty or a token is unusable (named by index).
    public init(tokens: [String]) throws(WebhookSecretError) {
        guard !tokens.isEmpty else { throw .noSecrets }
        for (index, token) in tokens.enumerated() {
            if token.isEmpty { throw .malformed(index: index, reason: "is empty") }
            if token.contains(where: { $0 == " " || $0 == "\t" }) { throw .malformed(index: index, reason: "contains whitespace") }
        }
        self.tokens = tokens
    }

    /// Checks the `Authorization` header.
    /// - Parameters:
    ///   - authorization: the header value, `nil` when absent. The scheme name `Bearer` is matched case-insensitively.
    /// - Throws: ``WebhookVerificationFailure`` saying why the request is refused.
    public func verify(authorization: String?) throws(WebhookVerificationFailure) {
        let name = "Authorization"
        guard let authorization, !authorization.isEmpty else { throw .missingHeaders([name]) }
        let value = authorization.trimmingSpaces
        guard value.count > 7, value.prefix(7).lowercased() == "bearer " else {
            throw .malformedHeader(header: name, expected: "Bearer <token>")
        }
        let presented = String(value.dropFirst(7).drop(while: { $0 == " " }))
        var matched = false
        for token in tokens where ConstantTime.tokensEqual(presented, token) { matched = true }
        guard matched else { throw .tokenMismatch(header: name) }
    }

    /// Checks the `authorization` entry of `headers`.
    /// - Parameters:
    ///   - headers: the request headers, **names lowercased**.
    /// - Throws: ``WebhookVerificationFailure`` saying why the request is refused.
    public func verify(headers: [String: String]) throws(WebhookVerificationFailure) {
        try verify(authorization: headers[Self.header])
    }
}
