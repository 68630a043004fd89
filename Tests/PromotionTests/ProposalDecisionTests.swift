import Testing
import Promotion

/// The one decision of DESIGN.md 1a over tables of facts: no IO, no ports, only values. Each row names what it
/// shows; the defects of issue 13 are rows of their own (`defect N`).
@Suite struct ProposalDecisionTests {
    struct Row: CustomTestStringConvertible, Sendable {
        let name: String
        let facts: ProposalFacts
        let actions: [ProposalAction]
        var testDescription: String { name }
    }

    static let push = ProposalFacts(version: "1.4.2", mode: .push)
    static let pr = ProposalFacts(version: "1.4.2", mode: .pullRequest, labelsMissing: false)

    static func with(_ base: ProposalFacts, _ change: (inout ProposalFacts) -> Void) -> ProposalFacts {
        var facts = base
        change(&facts)
        return facts
    }

    static let rows: [Row] = [
        // Push environments.
        Row(name: "push: a new version is committed, pushed and recorded live", facts: push, actions: [.pushCommit, .recordLive]),
        Row(name: "push: the branch already holds it: recorded, nothing pushed",
            facts: with(push) { $0.branchHoldsWanted = true }, actions: [.recordLive]),
        Row(name: "push: an older version is refused", facts: with(push) { $0.liveVersion = "1.5.0" },
            actions: [.refuse(.olderVersion, "1.4.2 is older than 1.5.0, which runs there")]),
        Row(name: "push: an older version that a newer one overtook while it waited is superseded",
            facts: with(push) { $0.liveVersion = "1.5.0"; $0.overtakenByLive = true }, actions: [.yieldToLive("1.5.0")]),
        Row(name: "pr: ... in a pull-request environment too (the newer one merged meanwhile)",
            facts: with(pr) { $0.liveVersion = "1.5.0"; $0.overtakenByLive = true }, actions: [.yieldToLive("1.5.0")]),
        Row(name: "push: a person's rollback goes back", facts: with(push) { $0.liveVersion = "1.5.0"; $0.intent = .rollBack },
            actions: [.pushCommit, .recordLive]),
        Row(name: "push: the reconciler restores", facts: with(push) { $0.liveVersion = "1.5.0"; $0.intent = .restore },
            actions: [.pushCommit, .recordLive]),
        Row(name: "defect 6: a failing gate blocks a push environment too",
            facts: with(push) { $0.failingGates = ["accuracy 0.5 not >= 0.95"] },
            actions: [.refuse(.gateFailed, "blocked by gate(s): accuracy 0.5 not >= 0.95")]),
        Row(name: "push: --force pushes past a failing gate",
            facts: with(push) { $0.failingGates = ["accuracy 0.5 not >= 0.95"]; $0.force = true }, actions: [.pushCommit, .recordLive]),

        // Pull-request environments.
        Row(name: "pr: first proposal builds the branch, opens, labels, records", facts: with(pr) { $0.labelsMissing = true },
            actions: [.buildBotBranch, .openPullRequest, .addLabels, .recordProposed]),
        Row(name: "pr: the same proposal again changes nothing",
            facts: with(pr) { $0.botBranch = .holdsWanted; $0.pullRequest = .init(version: "1.4.2", uriMatches: true) },
            actions: [.recordProposed]),
        Row(name: "pr: a newer version moves the branch and updates the one PR",
            facts: with(pr) { $0.botBranch = .holdsOther; $0.pullRequest = .init(version: "1.4.1", uriMatches: true) },
            actions: [.buildBotBranch, .updatePullRequest, .recordProposed]),
        Row(name: "pr: an older event arriving late yields to the newer proposal",
            facts: with(pr) { $0.botBranch = .holdsOther; $0.pullRequest = .init(version: "1.5.0", uriMatches: true) },
            actions: [.yieldToNewer("1.5.0")]),
        Row(name: "pr: merged (the base holds it): recorded live", facts: with(pr) { $0.branchHoldsWanted = true }, actions: [.recordLive]),
        Row(name: "pr: crash after the branch was pushed, before the PR: the PR is opened",
            facts: with(pr) { $0.botBranch = .holdsWanted }, actions: [.openPullRequest, .recordProposed]),
        Row(name: "pr: crash after the PR was opened, before its labels: labels, then recorded",
            facts: with(pr) { $0.botBranch = .holdsWanted; $0.pullRequest = .init(version: "1.4.2", uriMatches: true); $0.labelsMissing = true },
            actions: [.addLabels, .recordProposed]),
        Row(name: "pr: autoMerge merges after recording", facts: with(pr) { $0.autoMerge = true },
            actions: [.buildBotBranch, .openPullRequest, .recordProposed, .merge]),
        Row(name: "pr: a failing gate blocks the PR", facts: with(pr) { $0.failingGates = ["accuracy 0.9 not >= 0.94"] },
            actions: [.refuse(.gateFailed, "blocked by gate(s): accuracy 0.9 not >= 0.94")]),
        Row(name: "pr: a failed proposal is decided again", facts: with(pr) { $0.proposal = .failed },
            actions: [.buildBotBranch, .openPullRequest, .recordProposed]),

        // The defects of issue 13.
        Row(name: "defect 1: --to production after --to staging is a new decision that opens the PR",
            facts: with(pr) { $0.liveVersion = "1.4.1"; $0.proposal = nil }, actions: [.buildBotBranch, .openPullRequest, .recordProposed]),
        Row(name: "defect 2: the branch moved but the PR update failed: the PR is fixed first, nothing else moves",
            facts: with(pr) { $0.version = "6.2.0"; $0.botBranch = .holdsWanted; $0.pullRequest = .init(version: "6.1.0", uriMatches: false) },
            actions: [.updatePullRequest, .recordProposed]),
        Row(name: "defect 3: a closed (rejected) proposal is never re-opened",
            facts: with(pr) { $0.proposal = .rejected },
            actions: [.refuse(.notAllowed, "a reviewer closed the pull request for 1.4.2 without merging: rejected, never re-opened (a newer version opens a new one)")]),
        Row(name: "defect 3: ... not even by the reconciler's restore",
            facts: with(pr) { $0.proposal = .rejected; $0.intent = .restore; $0.drift = .enforce },
            actions: [.refuse(.notAllowed, "a reviewer closed the pull request for 1.4.2 without merging: rejected, never re-opened (a newer version opens a new one)")]),
        Row(name: "defect 3: a newer version opens a new PR", facts: with(pr) { $0.proposal = nil; $0.botBranch = .holdsOther },
            actions: [.buildBotBranch, .openPullRequest, .recordProposed]),
        Row(name: "defect 4: a person's commit on the bot branch is left alone, said once",
            facts: with(pr) { $0.botBranch = .holdsOther; $0.botBranchEdited = true; $0.pullRequest = .init(version: "1.4.1", uriMatches: true) },
            actions: [.noticeEdit, .holdForPerson("a person pushed to the bot's branch; it is left alone until the pull request is merged or closed")]),
        Row(name: "defect 4: ... and not said twice",
            facts: with(pr) {
                $0.botBranch = .holdsOther; $0.botBranchEdited = true; $0.editNoticePosted = true
                $0.pullRequest = .init(version: "1.4.1", uriMatches: true)
            },
            actions: [.holdForPerson("a person pushed to the bot's branch; it is left alone until the pull request is merged or closed")]),
        Row(name: "defect 4: the same version again with a person's commit on top changes nothing",
            facts: with(pr) {
                $0.botBranch = .holdsOther; $0.botBranchEdited = true; $0.editNoticePosted = true
                $0.pullRequest = .init(version: "1.4.2", uriMatches: true)
            },
            actions: [.recordProposed]),
        Row(name: "defect 4: drift: enforce rebuilds over the person's commit",
            facts: with(pr) {
                $0.botBranch = .holdsOther; $0.botBranchEdited = true; $0.drift = .enforce; $0.intent = .restore
                $0.pullRequest = .init(version: "1.4.2", uriMatches: true)
            },
            actions: [.buildBotBranch, .updatePullRequest, .recordProposed]),
        Row(name: "defect 4: once that PR is closed, a newer version rebuilds the branch and opens a new PR",
            facts: with(pr) { $0.botBranch = .holdsOther; $0.botBranchEdited = true },
            actions: [.buildBotBranch, .openPullRequest, .recordProposed]),
        Row(name: "defect 5: an adopted open proposal (after ledger rebuild) is the same proposal: nothing moves",
            facts: with(pr) { $0.proposal = .pullRequestOpen; $0.botBranch = .holdsWanted; $0.pullRequest = .init(version: "1.4.2", uriMatches: true) },
            actions: [.recordProposed]),
        Row(name: "defect 6: --force opens the PR past the gate",
            facts: with(pr) { $0.failingGates = ["x"]; $0.force = true }, actions: [.buildBotBranch, .openPullRequest, .recordProposed]),
    ]

    @Test(arguments: rows) func decides(_ row: Row) {
        #expect(ProposalDecision.decide(row.facts) == row.actions)
    }

    @Test func deciding_again_after_each_action_converges() {
        // Act on a first proposal one action at a time, as a crash between any two would leave it, and decide again:
        // each decision asks only for what is still missing, and the last one for nothing new.
        var facts = Self.with(Self.pr) { $0.labelsMissing = true }
        var performed: [ProposalAction] = []
        for _ in 0..<6 {
            guard let next = ProposalDecision.decide(facts).first, next != .recordProposed else { break }
            performed.append(next)
            switch next {
            case .buildBotBranch: facts.botBranch = .holdsWanted
            case .openPullRequest: facts.pullRequest = .init(version: "1.4.2", uriMatches: true)
            case .addLabels: facts.labelsMissing = false
            default: Issue.record("unexpected \(next)")
            }
        }
        #expect(performed == [.buildBotBranch, .openPullRequest, .addLabels])
        #expect(ProposalDecision.decide(facts) == [.recordProposed])
    }
}

/// The proposal state machine: only forward.
@Suite struct ProposalStateTests {
    @Test func movesOnlyForward() {
        #expect(ProposalState.planned.canMove(to: .pushed))
        #expect(ProposalState.pullRequestOpen.canMove(to: .live))
        #expect(ProposalState.live.canMove(to: .verified))
        #expect(!ProposalState.live.canMove(to: .pullRequestOpen))
        #expect(!ProposalState.verified.canMove(to: .planned))
        #expect(ProposalState.pullRequestOpen.canMove(to: .rejected))
        #expect(!ProposalState.rejected.canMove(to: .pullRequestOpen), "a rejected proposal is never re-opened")
        #expect(!ProposalState.superseded.canMove(to: .live))
        #expect(ProposalState.failed.canMove(to: .planned), "a failed one is decided again")
    }
}

/// The drift table of DESIGN.md 4: what the reconciler does per kind and policy, and which kind an open, merged or
/// closed pull request shows.
@Suite struct DriftDecisionTests {
    typealias Kind = DriftFinding.Kind

    /// kind -> the policies under which it is repaired.
    static let repairedUnder: [(Kind, Set<EnvironmentSettings.DriftPolicy>)] = [
        (.behind, [.repair, .enforce]),
        (.manualEdit, [.enforce]),
        (.pullRequestOutdated, [.repair, .enforce]),
        (.pullRequestBehindBase, [.repair, .enforce]),
        (.pullRequestEdited, [.enforce]),  // defect 4
        (.pullRequestClosed, []),  // defect 3: never re-opened
        (.mergeUnrecorded, [.report, .repair, .enforce]),
    ]

    @Test func theTable() {
        for (kind, policies) in Self.repairedUnder {
            for policy in EnvironmentSettings.DriftPolicy.allCases {
                let action = DriftDecision.action(for: kind, policy: policy)
                #expect(action == (policies.contains(policy) ? .repaired : .reported), "\(kind) under \(policy)")
                #expect(DriftDecision.action(for: kind, policy: policy, dryRun: true) == (policies.contains(policy) ? .none : .reported))
            }
        }
        #expect(Set(Self.repairedUnder.map(\.0)).union([.specMissing]) == Set(Kind.allCases), "every kind has a row")
    }

    @Test func specMissingIsRepairedOnlyWithATemplate() {
        #expect(DriftDecision.action(for: .specMissing, policy: .repair, canRecreate: true) == .repaired)
        #expect(DriftDecision.action(for: .specMissing, policy: .enforce, canRecreate: false) == .reported)
        #expect(DriftDecision.action(for: .specMissing, policy: .report, canRecreate: true) == .reported)
    }

    @Test func nothingIsRepairedUnderANewerOpenProposal() {
        for kind in [Kind.behind, .manualEdit, .specMissing] {
            #expect(DriftDecision.action(for: kind, policy: .enforce, canRecreate: true, underNewerProposal: true) == .reported)
        }
    }

    @Test func pullRequestKinds() {
        func kind(_ state: PullRequest.State, edited: Bool = false, proposes: Bool = true, holds: Bool = true, behind: Bool = false) -> Kind? {
            DriftDecision.pullRequestKind(state: state, edited: edited, proposesWanted: proposes, branchHoldsWanted: holds, behindBase: behind)
        }
        #expect(kind(.open) == nil)
        #expect(kind(.merged) == .mergeUnrecorded)
        #expect(kind(.closed) == .pullRequestClosed)
        #expect(kind(.open, proposes: false) == .pullRequestOutdated)
        #expect(kind(.open, holds: false) == .pullRequestOutdated)
        #expect(kind(.open, behind: true) == .pullRequestBehindBase)
        // defect 4: a person's commit is pr-edited, not pr-behind-base or pr-outdated.
        #expect(kind(.open, edited: true, holds: false, behind: true) == .pullRequestEdited)
    }
}

/// `checks: {required: true}` (issue 15): the `promote` status goes on the head, and autoMerge waits for green.
@Suite struct RequiredChecksDecisionTests {
    static let open = ProposalFacts(
        version: "1.4.2", mode: .pullRequest, botBranch: .holdsWanted, pullRequest: .init(version: "1.4.2", uriMatches: true), autoMerge: true)

    static func with(_ change: (inout ProposalFacts) -> Void) -> ProposalFacts {
        var facts = open
        facts.checksRequired = true
        change(&facts)
        return facts
    }

    @Test func withoutRequiredChecksAutoMergeMergesAtOnce() {
        #expect(ProposalDecision.decide(Self.open) == [.recordProposed, .merge])
    }

    @Test func aPendingOrUnreadCheckHoldsTheMerge() {
        #expect(ProposalDecision.decide(Self.with { $0.headChecksGreen = false }) == [.recordProposed, .setCommitStatus])
        #expect(ProposalDecision.decide(Self.with { $0.headChecksGreen = nil }) == [.recordProposed, .setCommitStatus])
    }

    @Test func everyCheckGreenMerges() {
        #expect(ProposalDecision.decide(Self.with { $0.headChecksGreen = true }) == [.recordProposed, .setCommitStatus, .merge])
    }

    @Test func aHeadAboutToMoveIsNotMerged() {
        let moving = Self.with { $0.headChecksGreen = true; $0.botBranch = .holdsOther; $0.pullRequest = .init(version: "1.4.1", uriMatches: true) }
        #expect(ProposalDecision.decide(moving) == [.buildBotBranch, .updatePullRequest, .recordProposed, .setCommitStatus])
    }

    @Test func ownFailingVerdictNeverAutoMerges() {
        #expect(ProposalDecision.decide(Self.with { $0.headChecksGreen = true; $0.ownStatusPasses = false }) == [.recordProposed, .setCommitStatus])
    }
}
