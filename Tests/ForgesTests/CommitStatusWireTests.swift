@testable import Forges
import Promotion
import Testing

/// The per-forge spelling of commit statuses, without IO: states both ways, descriptions cut, latest per context.
@Suite struct CommitStatusWireTests {
    @Test func statesRoundTripOnEveryForge() {
        for kind in [ForgeKind.github, .gitlab, .gitea, .forgejo, .bitbucket] {
            for state in [CommitStatus.State.pending, .success, .failure, .error] {
                #expect(CommitStatusWire.state(fromWire: CommitStatusWire.wireState(state, for: kind)) == state, "\(kind) \(state)")
            }
        }
        #expect(CommitStatusWire.wireState(.pending, for: .gitlab) == "running")
        #expect(CommitStatusWire.wireState(.error, for: .gitlab) == "canceled")
        #expect(CommitStatusWire.wireState(.pending, for: .bitbucket) == "INPROGRESS")
    }

    @Test func otherCIsStatesNeverPassByAccident() {
        #expect(CommitStatusWire.state(fromWire: "skipped") == .success)
        #expect(CommitStatusWire.state(fromWire: "manual") == .pending)
        #expect(CommitStatusWire.state(fromWire: "warning") == .failure)
        #expect(CommitStatusWire.state(fromWire: "something-new") == .error)
        #expect(CommitStatusWire.checkRunState(status: "in_progress", conclusion: nil) == .pending)
        #expect(CommitStatusWire.checkRunState(status: "completed", conclusion: "neutral") == .success)
        #expect(CommitStatusWire.checkRunState(status: "completed", conclusion: "timed_out") == .failure)
        #expect(CommitStatusWire.checkRunState(status: "completed", conclusion: "cancelled") == .error)
        #expect(CommitStatusWire.checkRunState(status: "completed", conclusion: nil) == .error)
    }

    @Test func descriptionsAreCutAndTheLatestPerContextWins() {
        #expect(CommitStatusWire.cut("short", to: 140) == "short")
        let cut = CommitStatusWire.cut(String(repeating: "é", count: 300), to: 140)
        #expect(cut.count == 140 && cut.hasSuffix("…"))
        let old = CommitStatus(context: "ci", state: .pending, description: "old")
        let new = CommitStatus(context: "ci", state: .success, description: "new")
        let other = CommitStatus(context: "a", state: .failure, description: "")
        #expect(CommitStatusWire.latestPerContext([(7, new), (3, old), (1, other)]) == [other, new])
    }
}
