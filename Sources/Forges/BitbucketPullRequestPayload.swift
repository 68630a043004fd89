internal import Promotion

/// A pull request as Bitbucket Cloud's REST API answers it; the fields Promote reads.
struct BitbucketPullRequestPayload: Decodable {
    struct Endpoint: Decodable {
        struct Branch: Decodable { var name: String }
        struct Commit: Decodable { var hash: String }
        var branch: Branch
        var commit: Commit?
    }

    struct Links: Decodable {
        struct Link: Decodable { var href: String }
        var html: Link
    }

    struct MergeCommit: Decodable { var hash: String }
    struct Account: Decodable {
        var nickname: String?
        var display_name: String?
        var account_id: String?
    }

    var id: Int
    var title: String
    var description: String?
    var state: String
    var links: Links
    var source: Endpoint
    var destination: Endpoint
    var draft: Bool?
    var merge_commit: MergeCommit?
    /// Whoever merged or declined it.
    var closed_by: Account?

    var pullRequest: PullRequest {
        let state: PullRequest.State = switch self.state {
        case "OPEN": .open
        case "MERGED": .merged
        default: .closed
        }
        return PullRequest(
            number: id, url: links.html.href, title: title, body: description ?? "", head: source.branch.name,
            base: destination.branch.name, headSHA: source.commit?.hash, state: state, draft: draft ?? false, mergeable: nil,
            mergeCommitSHA: state == .merged ? merge_commit?.hash : nil, labels: [],
            closedBy: state == .open ? nil : closed_by.flatMap { $0.nickname ?? $0.display_name ?? $0.account_id })
    }
}
