/// Where a promotion stands (DESIGN.md section 5).
public enum PromotionState: String, Sendable, Hashable, Codable, CaseIterable {
    case queued
    case running
    /// Staging done; the production pull request waits for a reviewer.
    case awaitingReview = "awaiting-review"
    case done
    case failed
    /// A newer version of the same model replaced it before it finished.
    case superseded

    /// True when nothing more will happen to the promotion.
    public var isFinal: Bool { self == .done || self == .failed || self == .superseded }
}
