/// An idempotency key (or delivery id) already used for a different request: refused (409), nothing stored.
public struct AdmissionConflict: Error, Sendable, Hashable, CustomStringConvertible {
    public var key: String
    /// The promotion the key belongs to.
    public var promotionID: String

    public init(key: String, promotionID: String) {
        self.key = key
        self.promotionID = promotionID
    }

    public var description: String {
        "idempotency key '\(key)' was already used for a different request (promotion \(promotionID))"
    }
}
