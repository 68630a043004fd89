/// Everything a network operation needs besides the URL.
public struct RemoteOptions: Sendable {
    public var credentials: RemoteCredentials
    public var hostKey: HostKeyPolicy
    public var timeouts: NetworkTimeouts
    /// How many times credentials are offered before giving up (libgit2 asks again after every rejection).
    public var maxAuthAttempts: Int
    /// Called with transfer progress (on the calling thread).
    public var progress: (@Sendable (TransferProgress) -> Void)?

    public init(
        credentials: RemoteCredentials = .none, hostKey: HostKeyPolicy = .refuse,
        timeouts: NetworkTimeouts = .standard, maxAuthAttempts: Int = 1,
        progress: (@Sendable (TransferProgress) -> Void)? = nil
    ) {
        self.credentials = credentials
        self.hostKey = hostKey
        self.timeouts = timeouts
        self.maxAuthAttempts = maxAuthAttempts
        self.progress = progress
    }
}
