/// The SSH side of `GitCredentials`.
public struct SSHCredentials: Sendable, Hashable {
    /// Login user when the URL has none (default "git").
    public var user: String
    public var keyFile: String
    /// Defaults to `keyFile + ".pub"` when that file exists.
    public var publicKeyFile: String?
    public var passphraseEnv: String?
    public var knownHostsFile: String?
    public var hostKeyFingerprints: [String]

    public init(
        user: String = "git", keyFile: String, publicKeyFile: String? = nil, passphraseEnv: String? = nil,
        knownHostsFile: String? = nil, hostKeyFingerprints: [String] = []
    ) {
        self.user = user
        self.keyFile = keyFile
        self.publicKeyFile = publicKeyFile
        self.passphraseEnv = passphraseEnv
        self.knownHostsFile = knownHostsFile
        self.hostKeyFingerprints = hostKeyFingerprints
    }
}
