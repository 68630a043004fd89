/// The version `promote --version` prints.
public enum PromoteVersion {
    /// The release this build belongs to.
    public static let current = "0.1.0-dev"
}

extension PromoteVersion {
    /// The commit this build was made from, when the build recorded it (packaging does); else `unknown`.
    public static var commit: String { "unknown" }
}
