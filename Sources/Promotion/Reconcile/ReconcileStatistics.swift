/// What one reconciliation read, to check that its cost follows the physical limit (one fetch per repository, one
/// snapshot per branch, one parse per file, one list call per pull-request environment).
public struct ReconcileStatistics: Sendable, Hashable {
    /// Fetches of repositories.
    public var fetches = 0
    /// Branch snapshots taken (environment branches and the bot's branches of open pull requests).
    public var snapshots = 0
    /// Spec files parsed.
    public var parses = 0
    /// Forge reads: list calls and single pull request reads.
    public var forgeReads = 0
    /// (model, environment) pairs checked.
    public var checked = 0

    public init() {}
}
