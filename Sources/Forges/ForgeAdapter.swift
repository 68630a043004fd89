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

extension ForgeClient {
    /// Runs `create`; when the forge answers that a pull request for this head and base already exists (a retried
    /// create whose first answer was lost, or one opened elsewhere), returns that one instead of opening a second.
    /// `alreadyExists` recognises the forge's own wording of that answer.
    func creatingOnce(
        _ request: NewPullRequest, alreadyExists: (ForgeFailure) -> Bool, _ create: () async throws(ForgeFailure) -> PullRequest
    ) async throws -> PullRequest {
        do {
            return try await create()
        } catch {
            guard alreadyExists(error) else { throw error }
            if let existing = try await findOpenPullRequest(head: request.head, base: request.base) { return existing }
            throw error
        }
    }
}
