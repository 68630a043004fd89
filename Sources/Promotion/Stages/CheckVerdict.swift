/// One `verify` check's result in one sample: passed or not, and why in words (shown as the failing check).
public struct CheckVerdict: Sendable, Hashable, Codable {
    /// The check, e.g. `argocd jukebox-staging` or `prometheus error-rate`.
    public var check: String
    public var passed: Bool
    /// What was seen, e.g. `error-rate = 0.05, expected < 0.01`.
    public var detail: String
    /// The check could not run (its source unreachable, its token refused ...): not a pass, and not a measurement.
    public var couldNotRun: Bool

    public init(check: String, passed: Bool, detail: String, couldNotRun: Bool = false) {
        self.check = check
        self.passed = passed
        self.detail = detail
        self.couldNotRun = couldNotRun
    }

    /// `check: detail`, as `status` shows a failing check.
    public var summary: String { "\(check): \(detail)" }
}
