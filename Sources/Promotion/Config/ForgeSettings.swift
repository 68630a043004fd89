/// Which forge hosts the repository's pull requests, and how to reach its API.
public struct ForgeSettings: Sendable, Hashable {
    /// The supported forges.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case github, gitlab, gitea, forgejo, bitbucket, none
    }

    public var kind: Kind
    /// The API base URL including its version path (`https://api.github.com`, `https://gitlab.example/api/v4`).
    public var api: String?
    /// `owner/repo` (GitHub, Gitea), `group/sub/project` (GitLab), `workspace/repo` (Bitbucket).
    public var project: String?
    /// The environment variable that holds the API token.
    public var tokenEnv: String?
    /// The environment variable that holds the secret the forge signs its webhooks with.
    public var webhookSecretEnv: String?

    public init(kind: Kind, api: String? = nil, project: String? = nil, tokenEnv: String? = nil, webhookSecretEnv: String? = nil) {
        self.kind = kind
        self.api = api
        self.project = project
        self.tokenEnv = tokenEnv
        self.webhookSecretEnv = webhookSecretEnv
    }

    /// The public API of each hosted forge, used when `api` is not set.
    public var defaultAPI: String? {
        switch kind {
        case .github: "https://api.github.com"
        case .gitlab: "https://gitlab.com/api/v4"
        case .bitbucket: "https://api.bitbucket.org/2.0"
        case .gitea: "https://gitea.com/api/v1"
        case .forgejo: "https://codeberg.org/api/v1"
        case .none: nil
        }
    }
}
