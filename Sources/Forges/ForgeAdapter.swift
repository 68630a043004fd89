public import CurlHTTP
public import Promotion

/// A ``ForgeClient`` that also reports its request budget (for metrics).
public protocol ForgeAdapter: ForgeClient {
    /// Which forge it speaks.
    var kind: ForgeKind { get }
    /// Rate-limit headroom and request counts so far.
    func requestBudget() -> RequestBudget
}

/// Builds forge clients from configuration.
public enum Forges {
    /// The client for `config.kind`. `pool` lets several clients share worker threads.
    public static func makeClient(_ config: ForgeConfig, pool: CurlWorkerPool? = nil) -> any ForgeAdapter {
        switch config.kind {
        case .github: GitHubClient(config: config, pool: pool)
        case .gitlab: GitLabClient(config: config, pool: pool)
        case .gitea, .forgejo: GiteaClient(config: config, pool: pool)
        case .bitbucket: BitbucketClient(config: config, pool: pool)
        }
    }
}
