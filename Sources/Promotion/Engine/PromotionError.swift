/// Why a promotion was refused or failed, in words a CI log reader can act on.
public struct PromotionError: TransientFailure, Sendable, Hashable, CustomStringConvertible {
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
        /// A person's commit on the bot's branch: left alone until its pull request is merged or closed (`pr-edited`).
        case heldForPerson = "held-for-person"
        /// The version is not verified (or not soaked) in the environment's `from` (DESIGN.md 1a).
        case notVerified = "not-verified"
        /// The repository or forge failed.
        case transport
    }

    public var kind: Kind
    public var environment: String?
    public var message: String
    /// The repository or forge failure behind it may go away by itself (``TransientFailure``).
    public var isTransient: Bool

    public init(_ kind: Kind, environment: String? = nil, _ message: String, isTransient: Bool = false) {
        self.kind = kind
        self.environment = environment
        self.message = message
        self.isTransient = isTransient
    }

    /// A transport failure of `environment` caused by `underlying`, transient when that is.
    public static func transport(_ underlying: any Error, environment: String? = nil, _ message: String? = nil) -> PromotionError {
        PromotionError(.transport, environment: environment, message ?? "\(underlying)", isTransient: isTransientFailure(underlying))
    }

    public var description: String { environment.map { "\($0): \(message)" } ?? message }
}
