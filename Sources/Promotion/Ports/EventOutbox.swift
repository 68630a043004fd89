public import Foundation

/// The durable outbox of outgoing events (CDEvents): every event is stored once per sink before anything is sent,
/// then delivered in order per (sink, subject) with bounded retries. Implemented by the state stores.
public protocol EventOutbox: Sendable {
    /// Stores each event for each sink, in one transaction, in the order given. An event already stored for a sink
    /// (same id) is not stored twice.
    func enqueue(_ events: [OutboxEvent], sinks: [String], now: Date) async throws
    /// The deliveries to try at `now`, oldest first: per (sink, subject) only the oldest pending one, and only when
    /// its next attempt is due (so a later event never overtakes an earlier one for the same subject).
    func dueDeliveries(now: Date, limit: Int) async throws -> [OutboxDelivery]
    /// When the next pending delivery is due; nil when nothing is pending.
    func nextDeliveryDue() async throws -> Date?
    /// The sink accepted the delivery: it leaves the outbox.
    func markDelivered(_ id: Int64, at: Date) async throws
    /// An attempt failed: tried again at `retryAt`, or given up for good when `retryAt` is nil (kept, with the reason,
    /// so that it stops holding up the subject's later events and can be inspected).
    func markAttemptFailed(_ id: Int64, attempts: Int, retryAt: Date?, error: String, at: Date) async throws
    /// How many deliveries are pending and how many were given up, per sink.
    func outboxCounts() async throws -> [OutboxCount]
}

/// One event as the outbox stores it: opaque to the store.
public struct OutboxEvent: Sendable, Hashable {
    /// The event's own id (the CloudEvent `id`, also the Standard Webhooks `webhook-id`).
    public var id: String
    public var type: String
    /// What the event is about: deliveries for one subject keep their order.
    public var subject: String
    /// The exact body to send.
    public var body: String

    public init(id: String, type: String, subject: String, body: String) {
        self.id = id
        self.type = type
        self.subject = subject
        self.body = body
    }
}

/// One event waiting for delivery to one sink.
public struct OutboxDelivery: Sendable, Hashable {
    public var id: Int64
    public var sink: String
    public var event: OutboxEvent
    /// Attempts made so far.
    public var attempts: Int

    public init(id: Int64, sink: String, event: OutboxEvent, attempts: Int) {
        self.id = id
        self.sink = sink
        self.event = event
        self.attempts = attempts
    }
}

/// The outbox of one sink at a glance.
public struct OutboxCount: Sendable, Hashable {
    public var sink: String
    public var pending: Int
    public var failed: Int

    public init(sink: String, pending: Int, failed: Int) {
        self.sink = sink
        self.pending = pending
        self.failed = failed
    }
}
