/// The version `promote --version` prints.
public enum PromoteVersion {
    /// The release this build belongs to.
    public static let current = "0.1.0-dev"

    /// The git commit a packaged build (`scripts/package.sh`) was made from; nil in a source build.
    public static var commit: String? { BuildStamp.commit }

    /// What `promote --version` prints: "0.1.0-dev (commit 26cedda1f2c4)", or "0.1.0-dev (source build)".
    public static var description: String { "\(current) (\(commit.map { "commit \($0)" } ?? "source build"))" }
}

