public import Foundation

/// One finding of the last reconciliation as the store keeps it: what `promote status` shows as drift.
public struct DriftRecord: Sendable, Hashable {
    /// What was found and what was done about it.
    public var finding: DriftFinding
    /// When the reconciliation that found it ran.
    public var seenAt: Date

    public init(finding: DriftFinding, seenAt: Date) {
        self.finding = finding
        self.seenAt = seenAt
    }
}
