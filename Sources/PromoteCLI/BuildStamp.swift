/// What `scripts/package.sh` writes into a release build: the git commit it was built from. The script replaces
/// the `nil` below for the duration of its build and puts this file back afterwards, so a plain `swift build`
/// never depends on git.
enum BuildStamp {
    /// The commit (abbreviated, "-dirty" when the tree had changes) of a packaged build; nil in a source build.
    static let commit: String? = nil
}
