/// Everything a network operation needs besides the URL.
public struct RemoteOptions: Sendable {
    public var credentials: RemoteCredentials
    public var hostKey: HostKeyPolicy
    /// PEM files of TLS server certificates to accept for https:// even when they do not chain to a system CA
    /// (self-signed or private-CA servers): the server's leaf certificate must equal one of them byte for byte.
    public var pinnedCertificateFiles: [String]
    public var timeouts: NetworkTimeouts
    /// How many times credentials are offered before giving up (libgit2 asks again after every rejection).
    public var maxAuthAttempts: Int
    /// Called with transfer progress (on the calling thread).
    public var progress: (@Sendable (TransferProgress) -> Void)?

    public init(
        credentials: RemoteCredentials = .none, hostKey: HostKeyPolicy = .refuse, pinnedCertificateFiles: [String] = [],
        timeouts: NetworkTimeouts = .standard, maxAuthAttempts: Int = 1,
        progress: (@Sendable (TransferProgress) -> Void)? = nil
    ) {
        self.credentials = credentials
        self.hostKey = hostKey
        self.pinnedCertificateFiles = pinnedCertificateFiles
        self.timeouts = timeouts
        self.maxAuthAttempts = maxAuthAttempts
        self.progress = progress
    }
}
