/// Which forge the stand-in imitates.
public enum ForgeSimFlavour: String, Sendable, CaseIterable {
    case github, gitlab, gitea, bitbucket

    /// The API path prefix below the host: `""`, `/api/v4`, `/api/v1`, `/2.0`.
    public var apiPrefix: String {
        switch self {
        case .github: ""
        case .gitlab: "/api/v4"
        case .gitea: "/api/v1"
        case .bitbucket: "/2.0"
        }
    }
}
