/// How to run the stand-in forge.
public struct ForgeSimConfiguration: Sendable {
    public var flavour: ForgeSimFlavour
    /// Folder of bare repositories: project `acme/gitops` is `<repos>/acme/gitops.git` (or `<repos>/acme/gitops`).
    public var repositories: String
    /// Loopback address to listen on.
    public var host: String
    /// TCP port; 0 picks a free one (see ``ForgeSimServer/port``).
    public var port: Int
    /// The token clients must send; `nil` accepts any request.
    public var token: String?
    /// A JSON-lines file that receives every API exchange (request and response); `nil` records nothing.
    public var recordPath: String?
    /// Page size when a client names none (GitHub 30, GitLab 20, Gitea 30 in the real forges).
    public var defaultPageSize: Int?
    /// The request budget reported in rate-limit headers.
    public var rateLimit: Int
    /// Send pagination headers (`Link`, `X-Next-Page`, `X-Total-Count`...). Off imitates a server or proxy without them.
    public var paginationHeaders: Bool
    /// Cap pages below what a client asks for (servers may enforce a smaller maximum), if set.
    public var maxPageSize: Int?
    /// Apply the list filters (`head`, `source_branch`, `base_branch`...). Off imitates a server that ignores them.
    public var honourListFilters: Bool

    public init(
        flavour: ForgeSimFlavour, repositories: String, host: String = "127.0.0.1", port: Int = 0, token: String? = nil,
        recordPath: String? = nil, defaultPageSize: Int? = nil, rateLimit: Int = 5000, paginationHeaders: Bool = true,
        maxPageSize: Int? = nil, honourListFilters: Bool = true
    ) {
        self.flavour = flavour
        self.repositories = repositories
        self.host = host
        self.port = port
        self.token = token
        self.recordPath = recordPath
        self.defaultPageSize = defaultPageSize
        self.rateLimit = rateLimit
        self.paginationHeaders = paginationHeaders
        self.maxPageSize = maxPageSize
        self.honourListFilters = honourListFilters
    }
}
