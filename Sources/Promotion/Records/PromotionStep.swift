public import Foundation

/// What one environment's part of a promotion did.
public struct PromotionStep: Sendable, Hashable, Codable {
    /// The kinds of outcome.
    public enum Action: String, Sendable, Hashable, Codable {
        /// A commit was pushed to the environment's branch.
        case pushed
        /// The environment already held the version.
        case unchanged
        /// A pull request was opened.
        case pullRequestOpened = "pr-opened"
        /// The open pull request was updated to this version.
        case pullRequestUpdated = "pr-updated"
        /// The pull request already proposed this version.
        case pullRequestUnchanged = "pr-unchanged"
        /// A metric gate blocked the pull request.
        case blocked
        /// The step failed.
        case failed
        /// A dry run: the plan, nothing written.
        case planned
        /// The stage rules hold the version back here until it is verified (and soaked) in `from`.
        case waiting
    }

    public var environment: String
    public var action: Action
    public var commit: String?
    public var pullRequestNumber: Int?
    public var pullRequestURL: String?
    public var detail: String?
    public var at: Date

    public init(
        environment: String, action: Action, commit: String? = nil, pullRequestNumber: Int? = nil,
        pullRequestURL: String? = nil, detail: String? = nil, at: Date
    ) {
        self.environment = environment
        self.action = action
        self.commit = commit
        self.pullRequestNumber = pullRequestNumber
        self.pullRequestURL = pullRequestURL
        self.detail = detail
        self.at = at
    }
}
