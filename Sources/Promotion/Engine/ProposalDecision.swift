/// The one decision of DESIGN.md 1a: from the facts of one model in one environment, what to do, in order. Pure:
/// release, rollback and the reconciler's repairs are this same decision over different desired states
/// (``ProposalFacts/Intent``), and running it again after any action (or a crash between two) decides only what
/// is still missing.
public enum ProposalDecision {
    /// The actions for `facts`, in the order they must run.
    public static func decide(_ facts: ProposalFacts) -> [ProposalAction] {
        // A version older than the one running moves back only when a person or the reconciler asks for it; one
        // that a newer version overtook while it waited is superseded, as it would have been in the queue.
        if facts.intent == .promote, let live = facts.liveVersion, VersionOrder.isOlder(facts.version, than: live) {
            if facts.overtakenByLive { return [.yieldToLive(live)] }
            return [.refuse(.olderVersion, "\(facts.version) is older than \(live), which runs there")]
        }
        if facts.branchHoldsWanted { return [.recordLive] }
        if facts.mode == .pullRequest, facts.proposal == .rejected, facts.intent != .rollBack {
            return [.refuse(.notAllowed, "a reviewer closed the pull request for \(facts.version) without merging: rejected, never re-opened (a newer version opens a new one)")]
        }
        if !facts.failingGates.isEmpty, !facts.force {
            return [.refuse(.gateFailed, "blocked by gate(s): " + facts.failingGates.joined(separator: "; "))]
        }
        switch facts.mode {
        case .push:
            return [.pushCommit, .recordLive]
        case .pullRequest:
            return pullRequest(facts)
        }
    }

    static func pullRequest(_ facts: ProposalFacts) -> [ProposalAction] {
        let proposed = facts.pullRequest?.version
        if facts.intent == .promote, let proposed, proposed != facts.version, VersionOrder.isOlder(facts.version, than: proposed) {
            return [.yieldToNewer(proposed)]
        }
        let proposesWanted = proposed == facts.version && facts.pullRequest?.uriMatches == true
        if facts.botBranchEdited, facts.pullRequest != nil, facts.drift != .enforce {
            // A reviewer's commit is theirs: nothing rebuilds the branch until the PR is closed or merged (once it
            // is closed, the branch is the bot's again).
            let notice: [ProposalAction] = facts.editNoticePosted ? [] : [.noticeEdit]
            if proposesWanted { return notice + [.recordProposed] }
            return notice + [.holdForPerson("a person pushed to the bot's branch; it is left alone until the pull request is merged or closed")]
        }
        var actions: [ProposalAction] = []
        let moves = facts.botBranch != .holdsWanted || facts.botBranchEdited
        if moves { actions.append(.buildBotBranch) }
        if facts.pullRequest == nil {
            actions.append(.openPullRequest)
        } else if moves || !proposesWanted {
            // Metadata that disagrees with the branch is fixed first: nothing else runs before the PR says again
            // what its branch holds.
            actions.append(.updatePullRequest)
        }
        if facts.labelsMissing { actions.append(.addLabels) }
        actions.append(.recordProposed)
        if facts.checksRequired { actions.append(.setCommitStatus) }
        // With required checks, autoMerge waits until every status and check on an unmoving head is green.
        let green = !facts.checksRequired || (!moves && facts.headChecksGreen == true && facts.ownStatusPasses)
        if facts.autoMerge, green { actions.append(.merge) }
        return actions
    }
}
