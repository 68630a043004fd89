public import Foundation
public import Promotion
public import Logging

/// How to reach one GitOps repository and where to keep its mirror.
public struct GitRepositoryConfig: Sendable {
    /// `https://`, `http://`, `ssh://`, `git://` or `file://` URL. Credentials never go in it (they would be
    /// redacted from every message anyway).
    public var url: String
    public var credentials: GitCredentials
    /// PEM files of https server certificates to trust in addition to the system CAs (self-signed servers): the
    /// server's certificate must equal one of them.
    public var trustedCertificateFiles: [String]
    /// The cache directory holding one bare mirror per URL; nil: `$XDG_CACHE_HOME/promote` (else `~/.cache/promote`).
    public var cacheDirectory: String?
    public var timeouts: GitTimeouts
    /// The committer of the bot's commits (the author comes with each `CommitRequest`).
    public var committer: Signature
    /// Pushes tried for one update before giving up when the branch keeps moving.
    public var maxPushAttempts: Int
    /// Clone/fetch/push progress (see `GitTransfer.terminalPrinter`).
    public var progress: (@Sendable (GitTransfer) -> Void)?
    /// Where the mirror logs what it does (re-clones, stale pushes); the caller's logger, with its metadata.
    public var logger: Logger

    public init(
        url: String, credentials: GitCredentials = .none, cacheDirectory: String? = nil,
        timeouts: GitTimeouts = GitTimeouts(), committer: Signature = Signature(name: "promote-bot", email: "promote-bot@localhost"),
        maxPushAttempts: Int = 8, progress: (@Sendable (GitTransfer) -> Void)? = nil, trustedCertificateFiles: [String] = [],
        logger: Logger = Logger(label: "promote.git")
    ) {
        self.logger = logger
        self.trustedCertificateFiles = trustedCertificateFiles
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
