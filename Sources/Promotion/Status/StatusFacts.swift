public import Foundation

/// Everything ``StatusBuilder`` needs, gathered once by ``StatusReader`` (observe), so that the shape is decided
/// by a pure function.
public struct StatusFacts: Sendable {
    /// What one environment's branch holds.
    public struct Branch: Sendable {
        /// Spec readings by model.
        public var specs: [String: StatusReport.Spec]
        /// Why the branch could not be read (fetch or snapshot failed), if so.
        public var error: String?

        public init(specs: [String: StatusReport.Spec] = [:], error: String? = nil) {
            self.specs = specs
            self.error = error
        }
    }

    public var ledger: [LedgerEntry]
    public var drift: [DriftRecord]
    public var reconciledAt: Date?
    public var counts: [PromotionCount]
    /// Promotions not finished yet (queued, running, awaiting review).
    public var active: [PromotionRecord]
    /// By environment name.
    public var branches: [String: Branch]
    /// Pull request titles as the forge shows them now, by environment then number (absent: not asked).
    public var pullRequestTitles: [String: [Int: String]]
    /// Every proposal (the stages' part of the report).
    public var proposals: [Proposal] = []
    /// When the facts were gathered: soak and window remaining are counted to here (nil: not counted).
    public var now: Date?

    public init(
        ledger: [LedgerEntry], drift: [DriftRecord], reconciledAt: Date?, counts: [PromotionCount], active: [PromotionRecord],
        branches: [String: Branch], pullRequestTitles: [String: [Int: String]] = [:]
    ) {
        self.ledger = ledger
        self.drift = drift
        self.reconciledAt = reconciledAt
        self.counts = counts
        self.active = active
        self.branches = branches
        self.pullRequestTitles = pullRequestTitles
    }
}
