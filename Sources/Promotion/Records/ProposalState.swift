/// Where one proposal (a version of a model for one environment, DESIGN.md section 1a) stands. The state only moves
/// forward: `planned → pushed | pr-open → live → verified`, and from any state to one of the final ones
/// (`superseded`, `rejected`, `failed`).
public enum ProposalState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Decided, nothing written yet.
    case planned
    /// Committed and pushed to the environment's branch (a push environment), not yet recorded live.
    case pushed
    /// Its pull request is open.
    case pullRequestOpen = "pr-open"
    /// In effect: on the environment's branch, or its pull request merged.
    case live
    /// Live and the environment's checks passed (no checks: as soon as it is live).
    case verified
    /// A newer version replaced it before it went live.
    case superseded
    /// A person closed its pull request without merging: never re-opened.
    case rejected
    /// A permanent error, with the reason.
    case failed

    /// The order of the forward path; the final states rank above it.
    var rank: Int {
        switch self {
        case .planned: 0
        case .pushed, .pullRequestOpen: 1
        case .live: 2
        case .verified: 3
        case .superseded, .rejected, .failed: 4
        }
    }

    /// True when nothing more happens to the proposal.
    public var isFinal: Bool { rank == 4 }

    /// True when a proposal in this state may move to `next`: only forward, never out of a final state. A state
    /// moves to itself (recording it again changes nothing), and `pushed` and `pr-open` are one step.
    /// A `failed` proposal is the one exception: a new request decides it again, from the start.
    public func canMove(to next: ProposalState) -> Bool {
        if self == next || self == .failed { return true }
        if isFinal { return false }
        if next.isFinal { return true }
        return next.rank > rank
    }
}
