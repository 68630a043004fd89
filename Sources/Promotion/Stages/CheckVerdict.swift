/// One `verify` check's result in one sample: passed or not, and why in words (shown as the failing check).
public struct CheckVerdict: Sendable, Hashable, Codable {
    /// The check, e.g. `argocd jukebox-staging` or `prometheus error-rate`.
    public var check: String
    public var passed: Bool
    /// What was seen, e.g. `error-rate = 0.05, expected < 0.01`.
    public var detail: String

    public init(check: String, passed: Bool, detail: String) {
        self.check = check
        self.passed = passed
        self.detail = detail
    }

    /// `check: detail`, as `status` shows a failing check.
    public var summary: String { "\(check): \(detail)" }
}
