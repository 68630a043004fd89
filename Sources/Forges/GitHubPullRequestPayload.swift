internal import Promotion

/// A pull request as GitHub's REST API (and Gitea's, which copies it) answers it; the fields Promote reads.
struct GitHubPullRequestPayload: Decodable {
    struct Ref: Decodable {
        var ref: String
        var sha: String?
    }

    struct Label: Decodable { var name: String }
    struct User: Decodable { var login: String }

    var number: Int
    var html_url: String
    var title: String
    var body: String?
    var state: String
    var head: Ref
    var base: Ref
    var draft: Bool?
    var merged: Bool?
    var merged_at: String?
    var mergeable: Bool?
    var merge_commit_sha: String?
    var labels: [Label]?
    var merged_by: User?

    /// The forge-neutral pull request; `wipTitleIsDraft` (Gitea) treats a `WIP:` title as a draft when `draft` is absent.
    func pullRequest(mergedAtCounts: Bool = true, wipTitleIsDraft: Bool = false) -> PullRequest {
        let isMerged = merged == true || (mergedAtCounts && merged_at != nil)
        let state: PullRequest.State = isMerged ? .merged : (self.state == "open" ? .open : .closed)
        let wip = wipTitleIsDraft && (title.hasPrefix("WIP:") || title.hasPrefix("[WIP]"))
        return PullRequest(
            number: number, url: html_url, title: title, body: body ?? "", head: head.ref, base: base.ref, headSHA: head.sha,
            state: state, draft: draft ?? wip, mergeable: mergeable, mergeCommitSHA: isMerged ? merge_commit_sha : nil,
            labels: (labels ?? []).map(\.name), closedBy: isMerged ? merged_by?.login : nil)
    }
}
