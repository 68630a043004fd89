/// Verifies the webhook deliveries of the forges Promote talks to (merge and close events on
/// `POST /v1/webhooks/{forge}`).
///
/// | scheme | header (first present wins) | value |
/// |---|---|---|
/// | ``Scheme/github`` | `X-Hub-Signature-256` | `sha256=` + hex HMAC-SHA256 of the body |
/// | ``Scheme/gitea`` | `X-Gitea-Signature`, else `X-Hub-Signature-256` | hex (no prefix); `sha256=` + hex |
/// | ``Scheme/forgejo`` | `X-Forgejo-Signature`, else `X-Gitea-Signature`, else `X-Hub-Signature-256` | as Gitea |
/// | ``Scheme/gitlab`` | `X-Gitlab-Token` | the secret itself, compared in constant time (GitLab signs nothing) |
/// | ``Scheme/bitbucket`` | `X-Hub-Signature` | `sha256=` + hex HMAC-SHA256 of the body (Bitbucket Cloud) |
///
/// The HMAC key is the secret string's UTF-8 bytes. None of these schemes carries a timestamp, so there is no
/// replay window; callers dedupe on the forge's delivery id if they need to.
public struct ForgeSignatureVerifier: Sendable {
    /// The signing scheme of one forge.
    public enum Scheme: String, Sendable, Hashable, CaseIterable {
        case github, gitea, forgejo, gitlab, bitbucket
    }

    /// The scheme this verifier checks.
    public let scheme: Scheme
    private let key: [UInt8]
    private let secret: String

    /// Makes a verifier for one forge webhook's secret.
    /// - Parameters:
    ///   - scheme: the forge's scheme.
    ///   - secret: the secret configured on the forge's webhook (for GitLab, its "secret token").
    /// - Throws: ``WebhookSecretError/malformed(index:reason:)`` when the secret is empty.
    public init(scheme: Scheme, secret: String) throws(WebhookSecretError) {
        guard !secret.isEmpty else { throw .malformed(index: 0, reason: "is empty") }
        self.scheme = scheme
        self.secret = secret
        self.key = Array(secret.utf8)
    }

    /// Checks one delivery.
    /// - Parameters:
    ///   - headers: the request headers, **names lowercased** (`x-hub-signature-256`, not `X-Hub-Signature-256`).
    ///   - body: the body bytes exactly as received.
    /// - Throws: ``WebhookVerificationFailure`` saying why the delivery is refused.
    public func verify(headers: [String: String], body: [UInt8]) throws(WebhookVerificationFailure) {
        guard scheme != .gitlab else { return try checkHeaders(headers) }
        let (name, candidate) = try signature(in: headers)
        guard HMACSHA256.isValid(candidate, for: body, key: key) else { throw .noSignatureMatches(header: name) }
    }

    /// Checks what can be checked before the body is read: the signature header is present and well-formed (for
    /// GitLab, whose token is the whole proof, that it matches). A delivery refused here is refused without
    /// reading its body.
    public func checkHeaders(_ headers: [String: String]) throws(WebhookVerificationFailure) {
        guard scheme == .gitlab else {
            _ = try signature(in: headers)
            return
        }
        let name = "X-Gitlab-Token"
        guard let token = headers[name.lowercased()], !token.isEmpty else { throw .missingHeaders([name]) }
        guard ConstantTime.tokensEqual(token, secret) else { throw .tokenMismatch(header: name) }
    }

    /// The headers a scheme signs with, in order of preference, with the prefix their value carries.
    private var candidates: [(name: String, prefix: String)] {
        switch scheme {
        case .github: [("X-Hub-Signature-256", "sha256=")]
        case .gitea: [("X-Gitea-Signature", ""), ("X-Hub-Signature-256", "sha256=")]
        case .forgejo: [("X-Forgejo-Signature", ""), ("X-Gitea-Signature", ""), ("X-Hub-Signature-256", "sha256=")]
        case .bitbucket: [("X-Hub-Signature", "sha256=")]
        case .gitlab: [("X-Gitlab-Token", "")]
        }
    }

    /// The signature header value a forge would send for `body`: `sha256=<hex>` for GitHub, Bitbucket (and the
    /// `X-Hub-Signature-256` copy of Gitea), bare hex for Gitea and Forgejo, the secret itself for GitLab.
    /// For tests and for the stand-in forge.
    /// - Parameters:
    ///   - body: the exact body bytes.
    /// - Returns: the header name (canonical spelling) and its value.
    public func signatureHeader(for body: [UInt8]) -> (name: String, value: String) {
        let hex = WireEncoding.hex(HMACSHA256.authenticationCode(for: body, key: key))
        return switch scheme {
        case .github: ("X-Hub-Signature-256", "sha256=" + hex)
        case .gitea: ("X-Gitea-Signature", hex)
        case .forgejo: ("X-Forgejo-Signature", hex)
        case .bitbucket: ("X-Hub-Signature", "sha256=" + hex)
        case .gitlab: ("X-Gitlab-Token", secret)
        }
    }

    /// The first signature header present: its name and the 32 bytes it carries (prefix + 64 hex digits).
    private func signature(in headers: [String: String]) throws(WebhookVerificationFailure) -> (String, [UInt8]) {
        let candidates = self.candidates
        guard let (name, prefix, raw) = candidates.lazy.compactMap({ c in headers[c.name.lowercased()].map { (c.name, c.prefix, $0) } }).first,
            !raw.isEmpty
        else { throw .missingHeaders([candidates[0].name]) }
        let value = raw.trimmingSpaces
        guard value.hasPrefix(prefix), let candidate = WireEncoding.bytes(fromHex: value.dropFirst(prefix.count)), candidate.count == 32
        else { throw .malformedHeader(header: name, expected: prefix + "<64 hex digits of HMAC-SHA256>") }
        return (name, candidate)
    }
}
