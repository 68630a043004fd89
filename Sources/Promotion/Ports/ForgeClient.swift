
/// What the engine asks of a forge (GitHub, GitLab, Gitea/Forgejo, Bitbucket). Implemented by the `Forges` adapter.
///
/// Every method may block on the network; implementations retry transient failures themselves
/// (5xx, timeouts, 429 and secondary rate limits) and surface everything else as ``ForgeFailure``.
public protocol ForgeClient: Sendable {
    /// The open pull request whose head is `head` and whose base is `base`, if any.
    func findOpenPullRequest(head: String, base: String) async throws -> PullRequest?
    /// Every open pull request whose head branch starts with `headPrefix` (all pages).
    func listOpenPullRequests(headPrefix: String) async throws -> [PullRequest]
    /// Opens a pull request. Safe to retry: "already exists" resolves to the existing one.
    func createPullRequest(_ request: NewPullRequest) async throws -> PullRequest
    /// Changes the title and/or body of an open pull request.
    func updatePullRequest(number: Int, title: String?, body: String?) async throws -> PullRequest
    /// Reads one pull request with its current state.
    func pullRequest(number: Int) async throws -> PullRequest
    /// Adds labels (creating nothing: forges that need label ids look them up).
    func addLabels(_ labels: [String], to number: Int) async throws
    /// Requests reviews from users and teams (`team:NAME` or `org/team` names a team).
    func requestReviewers(_ reviewers: [String], on number: Int) async throws
    /// Posts a comment.
    func comment(_ body: String, on number: Int) async throws
    /// Closes without merging, optionally with a comment first.
    func close(number: Int, comment: String?) async throws
    /// Deletes a branch the bot owns. A branch that is already gone is not an error.
    func deleteBranch(_ name: String) async throws
    /// Merges (the opt-in auto-merge mode and tests).
    func merge(number: Int, method: MergeMethod) async throws -> PullRequest
    /// Sets a commit status on `sha` (GitHub statuses, GitLab commit status, Gitea statuses, Bitbucket build
    /// status); setting the same context again replaces it.
    func setCommitStatus(_ status: CommitStatus, on sha: String) async throws
    /// Every commit status and check run on `sha`, the latest per context or check name: what `autoMerge` waits on.
    func commitChecks(on sha: String) async throws -> [CommitStatus]
}

/// A commit status or check run on a commit, whatever the forge calls it.
public struct CommitStatus: Sendable, Hashable, Codable {
    /// Where a status stands (forges' richer states map onto these).
    public enum State: String, Sendable, Hashable, Codable { case pending, success, failure, error }

    /// The context (GitHub, Gitea), name (GitLab) or key (Bitbucket): `promote` for Promote's own.
    public var context: String
    public var state: State
    /// One line a reviewer reads beside the status (forges cut it at 140 characters).
    public var description: String
    /// Where the details are (the status page), if any.
    public var targetURL: String?

    public init(context: String, state: State, description: String, targetURL: String? = nil) {
        self.context = context
        self.state = state
        self.description = description
        self.targetURL = targetURL
    }
}

/// A pull request (merge request on GitLab) as the engine sees it, whatever the forge.
public struct PullRequest: Sendable, Hashable, Codable {
    /// Where a pull request stands.
    public enum State: String, Sendable, Hashable, Codable { case open, closed, merged }

    public var number: Int
    public var url: String
    public var title: String
    public var body: String
    public var head: String
    public var base: String
    public var headSHA: String?
    public var state: State
    public var draft: Bool
    public var mergeable: Bool?
    public var mergeCommitSHA: String?
    public var labels: [String]
    /// The forge login of whoever merged or closed it, when the forge says (GitHub and Gitea `merged_by`, GitLab
    /// `merged_by`/`closed_by`, Bitbucket `closed_by`): the audit log names them when Promote learns it by polling.
    public var closedBy: String?

    public init(
        number: Int, url: String, title: String, body: String, head: String, base: String, headSHA: String? = nil,
        state: State, draft: Bool = false, mergeable: Bool? = nil, mergeCommitSHA: String? = nil, labels: [String] = [],
        closedBy: String? = nil
    ) {
        self.number = number
        self.url = url
        self.title = title
        self.body = body
        self.head = head
        self.base = base
        self.headSHA = headSHA
        self.state = state
        self.draft = draft
        self.mergeable = mergeable
        self.mergeCommitSHA = mergeCommitSHA
        self.labels = labels
        self.closedBy = closedBy
    }

    /// ``closedBy`` when it is a plausible login (one line, at most 100 characters): what an audit entry may name.
    public var closedByLogin: String? {
        closedBy.flatMap { InputRules.textProblem($0, limit: 100) == nil && !$0.isEmpty ? $0 : nil }
    }
}

/// What the engine wants opened.
public struct NewPullRequest: Sendable, Hashable {
    public var title: String
    public var body: String
    public var head: String
    public var base: String
    public var draft: Bool

    public init(title: String, body: String, head: String, base: String, draft: Bool = false) {
        self.title = title
        self.body = body
        self.head = head
        self.base = base
        self.draft = draft
    }
}

/// How a pull request is merged.
public enum MergeMethod: String, Sendable, Hashable, Codable { case merge, squash, rebase }

/// A forge request that failed for good (after retries), with the forge's own message. Never holds a token.
public struct ForgeFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why it failed, in the terms the engine acts on.
    public enum Kind: String, Sendable, Hashable {
        case unauthorized, forbidden, notFound, conflict, invalid, rateLimited, server, transport, unexpectedResponse
    }

    public var kind: Kind
    /// The HTTP method and path (no host credentials, no query secrets), e.g. `POST /repos/acme/gitops/pulls`.
    public var request: String
    /// The HTTP status, when the forge answered.
    public var status: Int?
    /// The forge's own message, or the transport's.
    public var message: String

    public init(kind: Kind, request: String, status: Int?, message: String) {
        self.kind = kind
        self.request = request
        self.status = status
        self.message = message
    }

    public var description: String {
        let code = status.map { " -> \($0)" } ?? ""
        return "forge request \(request)\(code) failed: \(message)"
    }
}
