/// A pull request (GitLab: merge request) event, reduced to what Promote needs, the same for every forge.
public struct PullRequestEvent: Sendable, Hashable {
    /// What happened to the pull request.
    public enum Action: Sendable, Hashable {
        case opened
        /// Closed without merging (Bitbucket: declined).
        case closed
        /// Merged (GitHub and Gitea: `closed` with `merged: true`; GitLab `merge`; Bitbucket `pullrequest:fulfilled`).
        case merged
        case reopened
        /// New commits on the head branch (GitHub `synchronize`, Gitea `synchronized`, GitLab `update` with
        /// `oldrev`, Bitbucket `pullrequest:updated`).
        case synchronized
        /// Any other action (labels, edits, reviews...), with the forge's own name for it.
        case other(String)
    }

    /// The forge's number for it: GitHub/Gitea `number`, GitLab `iid`, Bitbucket `id`.
    public var number: Int
    public var action: Action
    /// The merge commit, only for ``Action/merged`` and only when the forge says (GitLab and Bitbucket may not).
    public var mergeCommitSHA: String?
    /// The source branch name.
    public var headBranch: String
    /// The target branch name.
    public var baseBranch: String
    /// `owner/name` (GitHub, Gitea, Bitbucket) or the project path with namespace (GitLab).
    public var repository: String
    /// The pull request's web page.
    public var url: String
    public var title: String
    /// The description; `nil` when the forge sends none.
    public var body: String?
    /// Who did it (merged, closed, ...): the forge login from the payload (GitHub/Gitea `sender.login`, GitLab
    /// `user.username`, Bitbucket `actor.nickname`); nil when the payload does not say.
    public var actor: String?

    /// Makes an event from its parts.
    public init(
        number: Int, action: Action, mergeCommitSHA: String? = nil, headBranch: String, baseBranch: String,
        repository: String, url: String, title: String, body: String? = nil, actor: String? = nil
    ) {
        self.number = number
        self.action = action
        self.mergeCommitSHA = mergeCommitSHA
        self.headBranch = headBranch
        self.baseBranch = baseBranch
        self.repository = repository
        self.url = url
        self.title = title
        self.body = body
        self.actor = actor
    }
}
