public import Foundation

/// One line of the audit log: who did what to which model and environment.
public struct AuditEntry: Sendable, Hashable, Codable {
    public var at: Date
    /// `cli`, `api`, `mlflow`, `reconciler`, `webhook:github` ...
    public var actor: String
    /// A short verb phrase: `pushed`, `opened-pr`, `recorded-merge`, `reported-drift` ...
    public var action: String
    public var model: String?
    public var environment: String?
    public var promotionID: String?
    public var detail: String
    /// The `promote serve` replica that wrote it (nil: a CLI command, or a store that does not record it).
    public var replica: String?

    public init(
        at: Date, actor: String, action: String, model: String? = nil, environment: String? = nil,
        promotionID: String? = nil, detail: String, replica: String? = nil
    ) {
        self.replica = replica
        self.at = at
        self.actor = actor
        self.action = action
        self.model = model
        self.environment = environment
        self.promotionID = promotionID
        self.detail = detail
    }
}
