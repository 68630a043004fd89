/// Which forge API a client speaks.
public enum ForgeKind: String, Sendable, Hashable, CaseIterable, Codable {
    case github, gitlab, gitea, forgejo, bitbucket

    /// The public API base URL, when the forge has one (self-managed instances need `forge.api`).
    public var defaultAPIBase: String? {
        switch self {
        case .github: "https://api.github.com"
        case .gitlab: "https://gitlab.com/api/v4"
        case .bitbucket: "https://api.bitbucket.org/2.0"
        case .gitea, .forgejo: nil
        }
    }
}
