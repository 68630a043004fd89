/// Which build is running: `promote_build_info{version,commit}` and the OpenAPI document's `info.version`.
public struct BuildInfo: Sendable, Hashable {
    public var version: String
    public var commit: String

    public init(version: String, commit: String) {
        self.version = version
        self.commit = commit
    }

    /// For tests and tools that do not know.
    public static let unknown = BuildInfo(version: "0.0.0-unknown", commit: "unknown")
}
