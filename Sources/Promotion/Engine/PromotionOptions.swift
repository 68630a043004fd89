/// How to run a release.
public struct PromotionOptions: Sendable, Hashable {
    /// Plan and print, write nothing (no commit, push, PR or state).
    public var dryRun: Bool
    /// Open the pull request even when a metric gate fails (the body says so).
    public var force: Bool
    /// This restores an earlier version: allowed to be older than what runs now.
    public var isRollback: Bool
    /// Who asked, for the audit log and the promotion's origin (`cli`, `api`, `mlflow`, `rollback`).
    public var origin: String
    /// The environments a batch commit (``PromotionEngine/pushTogether(_:)``) already pushed this promotion to: the
    /// run records them without an `unchanged` step.
    public var pushedTogether: Set<String> = []

    public init(dryRun: Bool = false, force: Bool = false, isRollback: Bool = false, origin: String = "cli") {
        self.dryRun = dryRun
        self.force = force
        self.isRollback = isRollback
        self.origin = origin
    }
}
