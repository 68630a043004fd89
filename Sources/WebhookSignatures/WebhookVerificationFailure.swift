/// Why a webhook delivery was refused. Shared by every verifier in this module.
///
/// The messages name headers and numbers only: never a secret, a token, a received signature or a computed one.
public enum WebhookVerificationFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// These required headers are absent (or empty); names as the scheme spells them.
    case missingHeaders([String])
    /// The timestamp header is not a whole number of Unix seconds.
    case timestampNotInteger(header: String)
    /// The timestamp is `age` seconds in the past, beyond the `tolerance` (a possible replay).
    case timestampTooOld(header: String, age: Int, tolerance: Int)
    /// The timestamp is `ahead` seconds in the future, beyond the `tolerance`.
    case timestampInFuture(header: String, ahead: Int, tolerance: Int)
    /// The signature header holds no signature of a version this verifier checks (Standard Webhooks `v1`, MLflow `v1`).
    case noSupportedSignature(header: String, expected: String)
    /// The signature or token header is not in the scheme's format; `expected` describes the format.
    case malformedHeader(header: String, expected: String)
    /// No signature in the header matches the body under any configured secret.
    case noSignatureMatches(header: String)
    /// The shared token (GitLab's `X-Gitlab-Token`, a bearer token) matches no configured one.
    case tokenMismatch(header: String)

    /// A one-line explanation for logs and problem responses.
    public var description: String {
        switch self {
        case .missingHeaders(let names):
            names.count == 1
                ? "missing header \(names[0])" : "missing headers \(names.joined(separator: ", "))"
        case .timestampNotInteger(let header):
            "\(header) is not an integer number of Unix seconds"
        case .timestampTooOld(let header, let age, let tolerance):
            "\(header) is \(age) s old, more than the \(tolerance) s allowed (a replay?)"
        case .timestampInFuture(let header, let ahead, let tolerance):
            "\(header) is \(ahead) s in the future, more than the \(tolerance) s allowed"
        case .noSupportedSignature(let header, let expected):
            "\(header) holds no \(expected) signature"
        case .malformedHeader(let header, let expected):
            "\(header) is not of the form \(expected)"
        case .noSignatureMatches(let header):
            "no signature in \(header) matches the body under the configured secret(s)"
        case .tokenMismatch(let header):
            "\(header) does not match the configured token(s)"
        }
    }
}
