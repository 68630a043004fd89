public import Promotion

/// Decides which queued promotions of one lane run: of those for the same model and the same environments, only
/// the newest version does; the older ones are superseded by it (one commit instead of several). Pure.
public enum QueueCoalescer {
    /// What to do with a batch.
    public struct Plan: Sendable {
        /// To run, oldest admitted first.
        public var runnable: [PromotionRecord]
        /// (older, the one that replaces it).
        public var superseded: [(PromotionRecord, PromotionRecord)]
    }

    /// Coalesces `batch` (queued promotions, in admission order).
    public static func coalesce(_ batch: [PromotionRecord]) -> Plan {
        var newest: [String: PromotionRecord] = [:]
        var order: [String] = []
        var superseded: [(PromotionRecord, PromotionRecord)] = []
        for record in batch {
            let key = record.request.model + "\u{0}" + (record.request.environments?.joined(separator: ",") ?? "*")
            guard let current = newest[key] else {
                newest[key] = record
                order.append(key)
                continue
            }
            if VersionOrder.isOlder(record.request.version, than: current.request.version) {
                superseded.append((record, current))
            } else {
                superseded.append((current, record))
                newest[key] = record
            }
        }
        return Plan(runnable: order.compactMap { newest[$0] }, superseded: superseded)
    }
}
