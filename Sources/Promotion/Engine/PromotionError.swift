/// Why a promotion was refused or failed, in words a CI log reader can act on.
public struct PromotionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, for callers that branch on it.
    public enum Kind: String, Sendable, Hashable {
        /// The model has no spec and no template to onboard it from.
        case unknownModel = "unknown-model"
        /// The spec could not be edited safely (invalid YAML, template, ambiguous location ...).
        case specRefused = "spec-refused"
        /// A metric gate failed.
        case gateFailed = "gate-failed"
        /// The version is older than the one the environment runs, and this is not a rollback.
        case olderVersion = "older-version"
        /// The input or configuration does not allow it (unknown environment, URI outside allowedUris ...).
        case notAllowed = "not-allowed"
        /// The repository or forge failed.
        case transport
    }

    public var kind: Kind
    public var environment: String?
    public var message: String

    public init(_ kind: Kind, environment: String? = nil, _ message: String) {
        self.kind = kind
        self.environment = environment
        self.message = message
    }

    public var description: String { environment.map { "\($0): \(message)" } ?? message }
}
