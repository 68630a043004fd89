/// What a reconciliation reads once per environment and shares between the checks of its models.
struct EnvironmentPass: Sendable {
    let env: EnvironmentSettings
    let repo: any GitOpsRepository
    /// The environment's branch as fetched (nil when the branch does not exist).
    let base: (any RepositorySnapshot)?
    /// The open pull requests whose head is one of the bot's branches for this environment.
    let openPullRequests: [PullRequest]
    let cache: SpecParseCache
    let dryRun: Bool
}
