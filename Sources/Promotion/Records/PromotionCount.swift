/// The number of promotions in one state that reached one environment (`/metrics`).
public struct PromotionCount: Sendable, Hashable {
    public var state: PromotionState
    /// Nil for promotions that have no step yet (queued).
    public var environment: String?
    public var count: Int

    public init(state: PromotionState, environment: String?, count: Int) {
        self.state = state
        self.environment = environment
        self.count = count
    }
}
