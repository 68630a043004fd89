/// Where an environment sits in the stages (DESIGN.md sections 1a and 3): the environment a version must be verified
/// in first (`from`), whether Promote carries versions on by itself (`promotion`), how long they must have been
/// verified there (`soak`) and whether the pull request's head gets a required `promote` status (`checks`).
public struct StageSettings: Sendable, Hashable {
    /// `promotion:` of an environment.
    public enum Promotion: String, Sendable, Hashable, CaseIterable {
        /// As soon as a version is verified in `from` (and soaked), Promote carries it on.
        case auto
        /// Only an explicit request (`promote release ... --to ENV`, the API) moves a version here.
        case manual
    }

    /// The environment a version must be verified in before it enters this one; nil: an entry point (the first
    /// environment, or `from: none`), which takes versions directly.
    public var from: String?
    public var promotion: Promotion
    /// Seconds a version must have been verified in `from` before it may enter (`soak:`, 0 by default).
    public var soak: Double
    /// `checks: {required: true}`: set a `promote` commit status on the pull request's head, and `autoMerge` only
    /// when every status and check on the head is green.
    public var checksRequired: Bool
    /// The line of the `from:` key (0: not written, the default was taken), for `config validate`'s messages.
    public var fromLine: Int
    /// True when `promotion:` was written (else the default: `auto`, or `manual` where an MLflow alias decides).
    public var promotionWritten: Bool = false

    public init(from: String? = nil, promotion: Promotion = .auto, soak: Double = 0, checksRequired: Bool = false, fromLine: Int = 0) {
        self.from = from
        self.promotion = promotion
        self.soak = soak
        self.checksRequired = checksRequired
        self.fromLine = fromLine
    }
}
