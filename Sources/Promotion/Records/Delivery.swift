/// A signed webhook delivery (Standard Webhooks `webhook-id`, MLflow `X-MLflow-Delivery-Id`): its id, and a digest
/// of its body, so that a replay of the same id with another body is told apart from a re-delivery.
public struct Delivery: Sendable, Hashable {
    public var id: String
    public var digest: String

    public init(id: String, digest: String) {
        self.id = id
        self.digest = digest
    }
}
