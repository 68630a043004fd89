/// One difference between what the ledger says an environment should run and what the repository or forge shows
/// (`promote reconcile --json`, DESIGN.md section 4).
public struct DriftFinding: Sendable, Hashable, Codable {
    /// The kinds of drift of the contract.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A bot push was lost or reverted: the spec holds an earlier promoted version.
        case behind
        /// A person changed the model location.
        case manualEdit = "manual-edit"
        /// The spec file is gone.
        case specMissing = "spec-missing"
        /// The promotion pull request was closed without merge: the proposal is rejected and never re-opened.
        case pullRequestClosed = "pr-closed"
        /// The pull request does not propose the wanted version.
        case pullRequestOutdated = "pr-outdated"
        /// The base branch moved past the pull request's branch, or it conflicts.
        case pullRequestBehindBase = "pr-behind-base"
        /// A person pushed a commit of their own onto the bot's branch: theirs, left alone (unless `enforce`).
        case pullRequestEdited = "pr-edited"
        /// The pull request was merged while the bot was not listening.
        case mergeUnrecorded = "merge-unrecorded"
    }

    /// What the reconciler did about it.
    public enum Action: String, Sendable, Hashable, Codable {
        /// Nothing (a dry run).
        case none
        /// Reported only: the environment's drift policy does not allow a repair.
        case reported
        /// Repaired.
        case repaired
    }

    public var model: String
    public var environment: String
    public var kind: Kind
    /// What the ledger wants (a version, or a URI where the version is unknown).
    public var expected: String
    /// What was found.
    public var actual: String
    public var action: Action
    /// Details for people: the PR, the commit, why it was not repaired.
    public var detail: String?

    public init(model: String, environment: String, kind: Kind, expected: String, actual: String, action: Action, detail: String? = nil) {
        self.model = model
        self.environment = environment
        self.kind = kind
        self.expected = expected
        self.actual = actual
        self.action = action
        self.detail = detail
    }
}
