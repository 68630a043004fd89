/// What one `promote advance` pass did (DESIGN.md 1a): every window sampled, every version verified, every version
/// carried on (or that could not be).
public struct AdvanceReport: Sendable, Hashable, Codable {
    /// One thing that happened to one version in one environment.
    public struct Entry: Sendable, Hashable, Codable {
        public enum Action: String, Sendable, Hashable, Codable {
            /// A merged pull request was recorded live.
            case merged
            /// The `verify` checks were sampled; the window goes on (or restarts: `detail` names the failing check).
            case sampled
            /// The window passed: verified.
            case verified
            /// Carried on into the environment (a push, or a pull request opened or updated).
            case entered
            /// Would be carried on (a dry run).
            case wouldEnter = "would-enter"
            /// Carrying it on failed or was refused.
            case failed
        }

        public var model: String
        public var version: String
        public var environment: String
        public var action: Action
        public var detail: String
        /// The promotion that carried it on.
        public var promotionID: String?
        /// The `verify` checks' verdicts when their outcome changed with this sample (the window passed, began to
        /// fail, or failed for another reason): what the check-result CDEvents report.
        public var checks: [CheckVerdict]?

        public init(model: String, version: String, environment: String, action: Action, detail: String, promotionID: String? = nil) {
            self.model = model
            self.version = version
            self.environment = environment
            self.action = action
            self.detail = detail
            self.promotionID = promotionID
        }
    }

    public var entries: [Entry] = []

    public init(entries: [Entry] = []) { self.entries = entries }

    /// True when something was refused or failed.
    public var hasFailures: Bool { entries.contains { $0.action == .failed } }
}
