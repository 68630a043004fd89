/// The version `promote --version` prints.
public enum PromoteVersion {
    /// The release this build belongs to.
    public static let current = "0.1.0-dev"
}
