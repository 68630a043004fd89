/// A configured secret or token that cannot be used. Messages name a bad secret by its position, never by its value.
public enum WebhookSecretError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The list of secrets (or tokens) is empty.
    case noSecrets
    /// The secret at zero-based `index` of the list given to the verifier is unusable, for `reason`
    /// (e.g. "does not start with whsec_").
    case malformed(index: Int, reason: String)

    /// A one-line explanation, e.g. "webhook secret at index 1 does not start with whsec_".
    public var description: String {
        switch self {
        case .noSecrets: "no webhook secret is configured"
        case .malformed(let index, let reason): "webhook secret at index \(index) \(reason)"
        }
    }
}
