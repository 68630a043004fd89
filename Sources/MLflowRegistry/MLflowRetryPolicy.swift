/// How ``MLflowClient`` retries a request that failed for a passing reason (connection refused or dropped,
/// timeout, 429, 500, 502, 503, 504). Every MLflow call the client makes is idempotent (reads, setting an alias or
/// a tag to a value), so all of them may be repeated.
public struct MLflowRetryPolicy: Sendable, Hashable {
    /// Attempts per request, the first included.
    public var maxAttempts: Int
    /// The first backoff; doubled each attempt, then jittered to 50–100 %.
    public var baseDelay: Duration
    /// The largest computed backoff.
    public var maxDelay: Duration
    /// The longest `Retry-After` accepted; a longer one fails at once as `.unavailable`.
    public var maxServerWait: Duration

    public init(
        maxAttempts: Int = 3, baseDelay: Duration = .milliseconds(250), maxDelay: Duration = .seconds(5),
        maxServerWait: Duration = .seconds(10)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxServerWait = maxServerWait
    }

    /// No retries: one attempt per request.
    public static let none = MLflowRetryPolicy(maxAttempts: 1)

    /// The jittered exponential backoff before attempt `attempt + 1` (attempt counts from 1); `random` is in `0...1`.
    func backoff(afterAttempt attempt: Int, random: Double = Double.random(in: 0...1)) -> Duration {
        let exp = baseDelay * (1 << min(attempt - 1, 20))
        return min(exp, maxDelay) * (0.5 + 0.5 * random)
    }
}
