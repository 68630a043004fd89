/// A commit status (GitHub/Gitea status, GitLab commit status, Bitbucket build status) or a GitHub check run the
/// stand-in holds: set through the forge API by Promote, or through `POST /_sim/statuses` as another CI would.
public struct SimCommitStatus: Sendable, Hashable, Codable {
    public var id: Int
    public var sha: String
    /// Context (GitHub, Gitea), name (GitLab, GitHub check run) or key (Bitbucket).
    public var context: String
    /// The state in the flavour's own words (`running`, `INPROGRESS`...); for a check run its `status`.
    public var state: String
    /// A check run's conclusion once `completed`.
    public var conclusion: String?
    public var description: String
    public var targetURL: String?
    /// A GitHub check run rather than a status.
    public var checkRun: Bool
    public var creator: String
    public var createdAt: String
}
