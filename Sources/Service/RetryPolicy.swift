/// Bounded, jittered exponential backoff for transient failures of a promotion (DESIGN.md 1a): the n-th retry waits
/// a random time between half and all of `min(cap, base * 2^(n-1))`, and at most `attempts` runs are made.
public struct RetryPolicy: Sendable, Hashable {
    /// Runs at most (the first one included).
    public var attempts: Int
    public var base: Duration
    public var cap: Duration

    /// The defaults ride out an outage of about three minutes (0.5 s, 1 s, 2 s ... then 20 s apart).
    public init(attempts: Int = 14, base: Duration = .milliseconds(500), cap: Duration = .seconds(20)) {
        self.attempts = attempts
        self.base = base
        self.cap = cap
    }

    /// The wait after the `attempt`-th failed run (1-based).
    public func delay(after attempt: Int, random: Double = Double.random(in: 0.5...1)) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let full = min(cap, base * (1 << exponent))
        return full * random
    }
}
