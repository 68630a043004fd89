/// What the reconciler does about one finding, by its kind and the environment's drift policy (DESIGN.md 4): the
/// drift table, pure. A repair itself goes through the engine's one decision (``ProposalDecision``) with the
/// ledger's version as the desired state.
public enum DriftDecision {
    /// The action for a finding of `kind` under `policy`.
    /// - Parameters:
    ///   - canRecreate: a missing spec can be re-created (the model declares a template).
    ///   - underNewerProposal: an open pull request proposes a newer version here; merging it sets the spec, so
    ///     repairing the spec would only replace that proposal with the older live version.
    ///   - dryRun: nothing is done whatever the policy says.
    public static func action(
        for kind: DriftFinding.Kind, policy: EnvironmentSettings.DriftPolicy, canRecreate: Bool = false,
        underNewerProposal: Bool = false, dryRun: Bool = false
    ) -> DriftFinding.Action {
        let repairs: Bool
        switch kind {
        case .mergeUnrecorded:
            // Recording a merge corrects the bot's own books only: done under every policy.
            repairs = true
        case .pullRequestClosed:
            // A person's decision wins: a rejected proposal is never re-opened.
            repairs = false
        case .manualEdit, .pullRequestEdited:
            // A person's change is theirs unless the environment enforces what the ledger says.
            repairs = policy == .enforce && !underNewerProposal
        case .specMissing:
            repairs = policy != .report && canRecreate && !underNewerProposal
        case .behind, .pullRequestOutdated, .pullRequestBehindBase:
            repairs = policy != .report && !underNewerProposal
        }
        guard repairs else { return .reported }
        return dryRun ? .none : .repaired
    }

    /// What an open, merged or closed promotion pull request shows, in the order it matters (nil: no drift). A
    /// person's commit on the bot's branch comes before anything the branch or metadata say: it is theirs.
    public static func pullRequestKind(
        state: PullRequest.State, edited: Bool, proposesWanted: Bool, branchHoldsWanted: Bool, behindBase: Bool
    ) -> DriftFinding.Kind? {
        switch state {
        case .merged: return .mergeUnrecorded
        case .closed: return .pullRequestClosed
        case .open:
            if edited { return .pullRequestEdited }
            if !proposesWanted || !branchHoldsWanted { return .pullRequestOutdated }
            return behindBase ? .pullRequestBehindBase : nil
        }
    }
}
