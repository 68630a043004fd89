/// What one reconciliation found, what it could not check, and what it read.
public struct ReconcileReport: Sendable {
    /// Every difference found, with what was done about it.
    public var findings: [DriftFinding] = []
    /// The models and environments that could not be checked; empty when the whole pass ran.
    public var failures: [ReconcileFailure] = []
    public var statistics = ReconcileStatistics()

    public init() {}
}
