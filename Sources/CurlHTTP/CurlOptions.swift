/// Transport settings applied to every request of a ``CurlSession``.
public struct CurlOptions: Sendable, Hashable {
    /// Longest time to establish the connection (TCP and TLS).
    public var connectTimeout: Duration
    /// Longest time for the whole exchange.
    public var totalTimeout: Duration
    /// A transfer slower than `lowSpeedBytesPerSecond` for `lowSpeedTime` is aborted as a timeout.
    public var lowSpeedBytesPerSecond: Int
    /// See `lowSpeedBytesPerSecond`.
    public var lowSpeedTime: Duration
    /// Largest accepted (decoded) response body; a larger one fails with ``CurlError/Kind/responseTooLarge``.
    public var maxResponseBytes: Int
    /// A PEM file of trusted CA certificates; `nil` uses the system bundle. Verification is always on.
    public var caBundlePath: String?
    /// Ask for compressed bodies (gzip, deflate, br, zstd) and decode them.
    public var acceptCompressed: Bool
    /// Follow redirects (up to 5). Off by default: API clients should see a 301/307 themselves.
    public var followRedirects: Bool
    /// The `User-Agent` sent when a request has none.
    public var userAgent: String

    public init(
        connectTimeout: Duration = .seconds(10), totalTimeout: Duration = .seconds(60),
        lowSpeedBytesPerSecond: Int = 1, lowSpeedTime: Duration = .seconds(30),
        maxResponseBytes: Int = 32 << 20, caBundlePath: String? = nil, acceptCompressed: Bool = true,
        followRedirects: Bool = false, userAgent: String = "promote"
    ) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.lowSpeedBytesPerSecond = lowSpeedBytesPerSecond
        self.lowSpeedTime = lowSpeedTime
        self.maxResponseBytes = maxResponseBytes
        self.caBundlePath = caBundlePath
        self.acceptCompressed = acceptCompressed
        self.followRedirects = followRedirects
        self.userAgent = userAgent
    }
}

extension Duration {
    /// Whole milliseconds, at least 1 for a positive duration.
    var milliseconds: Int {
        let (s, atto) = components
        let ms = Int(s) * 1000 + Int(atto / 1_000_000_000_000_000)
        return ms == 0 && atto > 0 ? 1 : ms
    }
}
