/// One thing the executor does for a decision (``ProposalDecision``), in the order decided; each outcome is
/// recorded before the next action runs, so that a crash or a fault between two actions is repaired by deciding again.
public enum ProposalAction: Sendable, Hashable {
    /// Nothing is written; the promotion fails (or is blocked) with this kind and reason.
    case refuse(PromotionError.Kind, String)
    /// A newer version is already up for review here: this older one is superseded, nothing is written.
    case yieldToNewer(String)
    /// A newer version went live here after this one was requested (an event that arrived or ran late): this one
    /// is superseded, nothing is written.
    case yieldToLive(String)
    /// A person's commit on the bot's branch: left alone, the promotion waits for the pull request to be closed
    /// or merged (reported as `pr-edited`).
    case holdForPerson(String)
    /// Commit the change on the environment's branch and push it (fast-forward only).
    case pushCommit
    /// The environment's branch holds the version: record it live.
    case recordLive
    /// (Re)build the bot's branch on the base tip with the change (force with lease: the bot owns it).
    case buildBotBranch
    /// Open the pull request (then its labels and reviewers).
    case openPullRequest
    /// Bring the open pull request's title, body and metadata to this version (its branch already proposes it).
    case updatePullRequest
    /// Put the environment's labels on the pull request.
    case addLabels
    /// Tell the pull request, once, that a person's commit on its branch is left alone.
    case noticeEdit
    /// Record the version as proposed in the open pull request.
    case recordProposed
    /// Merge the pull request (the environment's opt-in `autoMerge`).
    case merge
    /// Set the `promote` commit status on the PR's head with the gate and verification verdicts (`checks: required`).
    case setCommitStatus
}

extension ProposalAction {
    /// The comment ``noticeEdit`` posts (once per pull request).
    public static func editNotice(branch: String) -> String {
        "Promote sees a commit on `\(branch)` that it did not write: the branch is yours now. "
            + "Promote leaves it alone until this pull request is merged or closed (`drift: enforce` would rebuild it)."
    }
}
