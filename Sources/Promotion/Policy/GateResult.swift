/// How one metric gate judged a candidate.
public struct GateResult: Sendable, Hashable {
    /// The verdict.
    public enum Outcome: String, Sendable, Hashable, Codable { case passed, failed, skipped }

    public let gate: MetricGate
    public let outcome: Outcome
    /// A sentence a reviewer can read, e.g. `accuracy 0.91 not >= 0.92`.
    public let detail: String

    /// Whether this result blocks the promotion.
    public var blocks: Bool { outcome == .failed }
}
