/// When and how long a forge client waits before trying a request again.
public struct RetryPolicy: Sendable {
    /// Attempts per request, the first included.
    public var maxAttempts: Int
    /// The first backoff; doubled each attempt, then jittered to 50–100 %.
    public var baseDelay: Duration
    /// The largest computed backoff.
    public var maxDelay: Duration
    /// The longest wait the client accepts from `Retry-After` or a rate-limit reset; a longer one fails at once
    /// with ``ForgeFailure/Kind/rateLimited`` instead of blocking the worker.
    public var maxServerWait: Duration
    /// The wait after a GitHub secondary rate limit that names no time (GitHub asks for at least a minute).
    public var secondaryLimitWait: Duration
    /// Sleeps between attempts; tests inject one that records and returns at once.
    public var sleeper: any ForgeSleeper
    /// Jitter source in `0...1`; tests inject a fixed one.
    public var random: @Sendable () -> Double

    public init(
        maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30),
        maxServerWait: Duration = .seconds(120), secondaryLimitWait: Duration = .seconds(60),
        sleeper: any ForgeSleeper = TaskSleeper(), random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxServerWait = maxServerWait
        self.secondaryLimitWait = secondaryLimitWait
        self.sleeper = sleeper
        self.random = random
    }

    /// The jittered exponential backoff before attempt `attempt + 1` (attempt counts from 1).
    public func backoff(afterAttempt attempt: Int) -> Duration {
        let exp = baseDelay * (1 << min(attempt - 1, 20))
        let capped = min(exp, maxDelay)
        return capped * (0.5 + 0.5 * random())
    }
}

/// Waits between retries.
public protocol ForgeSleeper: Sendable {
    func sleep(for duration: Duration) async throws
}

/// Sleeps with `Task.sleep` (cancellable).
public struct TaskSleeper: ForgeSleeper {
    public init() {}
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}
