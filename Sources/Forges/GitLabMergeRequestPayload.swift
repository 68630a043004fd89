internal import Promotion

/// A merge request as GitLab's REST API answers it; the fields Promote reads.
struct GitLabMergeRequestPayload: Decodable {
    /// GitLab sends labels as names, or as objects with `with_labels_details`.
    struct Label: Decodable {
        var name: String

        init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                name = text
            } else {
                struct Detailed: Decodable { var name: String }
                name = try Detailed(from: decoder).name
            }
        }
    }

    struct User: Decodable { var username: String }

    var iid: Int
    var web_url: String
    var title: String
    var description: String?
    var state: String
    var source_branch: String
    var target_branch: String
    var sha: String?
    var draft: Bool?
    var work_in_progress: Bool?
    var detailed_merge_status: String?
    var has_conflicts: Bool?
    var merge_commit_sha: String?
    var squash_commit_sha: String?
    var labels: [Label]?
    var merged_by: User?
    var merge_user: User?
    var closed_by: User?

    var pullRequest: PullRequest {
        let state: PullRequest.State = switch self.state {
        case "opened": .open
        case "merged": .merged
        default: .closed
        }
        let mergeable: Bool? = detailed_merge_status.map { $0 == "mergeable" } ?? has_conflicts.map { !$0 }
        return PullRequest(
            number: iid, url: web_url, title: title, body: description ?? "", head: source_branch, base: target_branch, headSHA: sha,
            state: state, draft: draft ?? work_in_progress ?? false, mergeable: mergeable,
            mergeCommitSHA: state == .merged ? (merge_commit_sha ?? squash_commit_sha) : nil,
            labels: (labels ?? []).map(\.name),
            closedBy: state == .merged ? (merge_user ?? merged_by)?.username : state == .closed ? closed_by?.username : nil)
    }
}
