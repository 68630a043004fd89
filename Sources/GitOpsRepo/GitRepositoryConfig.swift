public import Foundation
public import Promotion

/// How to reach one GitOps repository and where to keep its mirror.
public struct GitRepositoryConfig: Sendable {
    /// `https://`, `http://`, `ssh://`, `git://` or `file://` URL. Credentials never go in it (they would be
    /// redacted from every message anyway).
    public var url: String
    public var credentials: GitCredentials
    /// The cache directory holding one bare mirror per URL; nil: `$XDG_CACHE_HOME/promote` (else `~/.cache/promote`).
    public var cacheDirectory: String?
    public var timeouts: GitTimeouts
    /// The committer of the bot's commits (the author comes with each `CommitRequest`).
    public var committer: Signature
    /// Pushes tried for one update before giving up when the branch keeps moving.
    public var maxPushAttempts: Int
    /// Clone/fetch/push progress (see `GitTransfer.terminalPrinter`).
    public var progress: (@Sendable (GitTransfer) -> Void)?

    public init(
        url: String, credentials: GitCredentials = .none, cacheDirectory: String? = nil,
        timeouts: GitTimeouts = GitTimeouts(), committer: Signature = Signature(name: "promote-bot", email: "promote-bot@localhost"),
        maxPushAttempts: Int = 8, progress: (@Sendable (GitTransfer) -> Void)? = nil
    ) {
        self.url = url
        self.credentials = credentials
        self.cacheDirectory = cacheDirectory
        self.timeouts = timeouts
        self.committer = committer
        self.maxPushAttempts = maxPushAttempts
        self.progress = progress
    }

    /// The default cache directory for `environment`.
    public static func defaultCacheDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/promote" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.cache/promote"
    }
}

/// Connect and idle limits for every network operation of a mirror.
public struct GitTimeouts: Sendable, Hashable {
    public var connect: Duration
    /// Longest time without any progress (data or acknowledgement) once connected.
    public var idle: Duration

    public init(connect: Duration = .seconds(15), idle: Duration = .seconds(60)) {
        self.connect = connect
        self.idle = idle
    }
}

/// Credentials for a repository, by reference: secrets come from the environment or from files, never inline.
public enum GitCredentials: Sendable, Hashable {
    /// file://, git:// or anonymous http(s).
    case none
    /// HTTP(S) basic authentication: user name and password/token read from these environment variables.
    case https(usernameEnv: String, passwordEnv: String)
    /// An SSH key (ed25519 or ECDSA; RSA keys do not work with libssh2 1.10 against OpenSSH >= 8.8) and a host key
    /// check: a known_hosts file (default `~/.ssh/known_hosts`) or pinned `SHA256:` fingerprints (which win).
    case ssh(SSHCredentials)
}

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
