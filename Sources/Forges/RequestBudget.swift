public import Foundation

/// What a client knows of its forge's rate limit and how many requests it made: exported as metrics.
public struct RequestBudget: Sendable, Hashable {
    /// Requests left in the current window, from the forge's headers (`x-ratelimit-remaining`, `RateLimit-Remaining`).
    public var remaining: Int?
    /// The window's size (`x-ratelimit-limit`, `RateLimit-Limit`).
    public var limit: Int?
    /// When the window resets (`x-ratelimit-reset`, `RateLimit-Reset`, epoch seconds).
    public var resetsAt: Date?
    /// HTTP exchanges made (each attempt counts).
    public var requests: Int
    /// Attempts that were retries.
    public var retries: Int
    /// Responses that were rate limits (429, or a 403 rate limit).
    public var rateLimited: Int

    public init(remaining: Int? = nil, limit: Int? = nil, resetsAt: Date? = nil, requests: Int = 0, retries: Int = 0, rateLimited: Int = 0) {
        self.remaining = remaining
        self.limit = limit
        self.resetsAt = resetsAt
        self.requests = requests
        self.retries = retries
        self.rateLimited = rateLimited
    }
}
