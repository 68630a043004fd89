/// A failure the stand-in injects into matching API requests (tests and demos of retries).
public struct ForgeSimFault: Sendable, Hashable, Codable {
    /// What happens.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Answer `status` (e.g. 500, 502, 503) with a forge-shaped error body.
        case status
        /// Answer 429 with `Retry-After: retryAfter`.
        case tooManyRequests
        /// GitHub's secondary rate limit: 403 with `Retry-After` if `retryAfter` is set, else `x-ratelimit-remaining: 0`.
        case secondaryRateLimit
        /// Wait `delayMilliseconds`, then answer normally (client timeouts).
        case delay
        /// Answer 200 with a JSON array of `bytes` bytes (response size caps).
        case hugeBody
        /// Answer 200 with an HTML page instead of JSON (a proxy's error page).
        case nonJSON
        /// Answer 200 with a JSON object that lacks every field the forge's API documents (a broken proxy or an
        /// incompatible forge version).
        case incompleteJSON
        /// Answer 401 as a bad token would.
        case unauthorized
        /// Carry the request out, then answer `status` (default 502) as if the answer were lost on the way back.
        case lostAnswer
    }

    public var kind: Kind
    /// Only requests with this method (any if `nil`).
    public var method: String?
    /// Only requests whose path contains this (any if `nil`).
    public var pathContains: String?
    /// How many matching requests fail; then the fault is spent.
    public var count: Int
    public var status: Int?
    public var retryAfter: Int?
    public var delayMilliseconds: Int?
    public var bytes: Int?

    public init(
        _ kind: Kind, method: String? = nil, pathContains: String? = nil, count: Int = 1, status: Int? = nil,
        retryAfter: Int? = nil, delayMilliseconds: Int? = nil, bytes: Int? = nil
    ) {
        self.kind = kind
        self.method = method
        self.pathContains = pathContains
        self.count = count
        self.status = status
        self.retryAfter = retryAfter
        self.delayMilliseconds = delayMilliseconds
        self.bytes = bytes
    }

    func matches(method m: String, path: String) -> Bool {
        (method == nil || method == m) && (pathContains.map { path.contains($0) } ?? true)
    }
}
