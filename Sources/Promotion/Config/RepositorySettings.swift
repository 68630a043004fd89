/// Where a GitOps repository lives and how to reach it. Secrets are named by environment variable or file, never inline.
public struct RepositorySettings: Sendable, Hashable {
    /// How the bot authenticates to the git server.
    public enum Credentials: Sendable, Hashable {
        case none
        /// HTTPS basic auth: user name and token read from these environment variables.
        case userPassword(usernameEnv: String?, passwordEnv: String)
        /// SSH with a private key file (ed25519 or ECDSA), the host key checked against a known_hosts file
        /// and/or a pinned SHA256 fingerprint.
        case sshKey(user: String?, keyFile: String, knownHostsFile: String?, hostKeySHA256: String?)
    }

    public var url: String
    public var branch: String
    public var credentials: Credentials
    /// Seconds to wait for a connection (`timeouts.connect`).
    public var connectTimeout: Double
    /// Seconds without any data before a transfer is abandoned (`timeouts.idle`).
    public var idleTimeout: Double

    public init(url: String, branch: String = "main", credentials: Credentials = .none, connectTimeout: Double = 10, idleTimeout: Double = 30) {
        self.url = url
        self.branch = branch
        self.credentials = credentials
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
    }
}
