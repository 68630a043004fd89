public import Foundation

/// One accepted release request and what became of it.
public struct PromotionRecord: Sendable, Hashable, Codable {
    public var id: String
    public var request: ReleaseRequest
    /// Who asked: `cli`, `api`, `mlflow`, `rollback`, `reconcile`.
    public var origin: String
    public var state: PromotionState
    /// Why it failed or was superseded, in words.
    public var detail: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var steps: [PromotionStep]

    public init(
        id: String, request: ReleaseRequest, origin: String, state: PromotionState, detail: String? = nil,
        createdAt: Date, updatedAt: Date, steps: [PromotionStep] = []
    ) {
        self.id = id
        self.request = request
        self.origin = origin
        self.state = state
        self.detail = detail
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.steps = steps
    }
}
