public import CurlHTTP
public import Logging

/// How to reach one forge project: `forge:` in `promote.yaml`, with the token already read from its environment variable.
public struct ForgeConfig: Sendable, CustomStringConvertible {
    public var kind: ForgeKind
    /// The API base URL including its version path: `https://api.github.com`, `https://gitlab.example/api/v4`,
    /// `https://gitea.example/api/v1`, `https://api.bitbucket.org/2.0`. A trailing `/` is ignored.
    public var apiBase: String
    /// `owner/repo` (GitHub, Gitea), `group/subgroup/project` or a numeric id (GitLab), `workspace/repo` (Bitbucket).
    public var project: String
    /// The API token. Never logged, never in an error.
    public var token: String
    /// For Bitbucket app passwords / API tokens (HTTP Basic `username:token`); `nil` sends `Bearer`.
    public var username: String?
    /// Where the token came from (e.g. `PROMOTE_FORGE_TOKEN`), named in a 401's message.
    public var tokenSource: String?
    /// `User-Agent` of every request.
    public var userAgent: String
    /// Transport settings (timeouts, CA bundle, size cap).
    public var http: CurlOptions
    /// Retries and waits.
    public var retry: RetryPolicy
    /// Items per page when listing (capped by each forge's maximum).
    public var pageSize: Int
    /// Where the client logs retries and waits; the caller's logger, with its metadata.
    public var logger: Logger

    public init(
        kind: ForgeKind, apiBase: String? = nil, project: String, token: String, username: String? = nil,
        tokenSource: String? = nil, userAgent: String = "promote-bot", http: CurlOptions = CurlOptions(),
        retry: RetryPolicy = RetryPolicy(), pageSize: Int = 100, logger: Logger = Logger(label: "promote.forges")
    ) {
        self.logger = logger
        self.kind = kind
        var base = apiBase ?? kind.defaultAPIBase ?? ""
        while base.hasSuffix("/") { base.removeLast() }
        self.apiBase = base
        self.project = project
        self.token = token
        self.username = username
        self.tokenSource = tokenSource
        self.userAgent = userAgent
        self.http = http
        self.retry = retry
        self.pageSize = pageSize
    }

    /// No token in the description.
    public var description: String { "\(kind.rawValue) \(apiBase) \(project)" }
}
