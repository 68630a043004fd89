public import Foundation
public import Promotion
internal import PostgresNIO

/// The CDEvents outbox on PostgreSQL (``EventOutbox``): the same table and statements as ``SQLiteStore``'s (the
/// outbox contract tests run against both stores).
extension PostgresStore: EventOutbox {
    public func enqueue(_ events: [OutboxEvent], sinks: [String], now: Date) async throws {
        guard !events.isEmpty, !sinks.isEmpty else { return }
        let at = now.timeIntervalSince1970
        try await transaction("enqueue \(events.count) event(s)") { c in
            for event in events {
                for sink in sinks {
                    _ = try await c.query(
                        """
                        INSERT INTO event_outbox (sink, event_id, event_type, subject, body, state, attempts, next_attempt_at,
                                                  created_at, updated_at)
                        VALUES (\(sink), \(event.id), \(event.type), \(event.subject), \(event.body), 'pending', 0, \(at), \(at), \(at))
                        ON CONFLICT (sink, event_id) DO NOTHING
                        """, logger: self.logger)
                }
            }
        }
    }

    public func dueDeliveries(now: Date, limit: Int) async throws -> [OutboxDelivery] {
        let at = now.timeIntervalSince1970
        return try await read("read the due deliveries") { c in
            try await Self.all(
                try await c.query(
                    """
                    SELECT o.id, o.sink, o.event_id, o.event_type, o.subject, o.body, o.attempts FROM event_outbox o
                    WHERE o.state = 'pending' AND o.next_attempt_at <= \(at)
                      AND o.id = (SELECT MIN(p.id) FROM event_outbox p WHERE p.state = 'pending' AND p.sink = o.sink AND p.subject = o.subject)
                    ORDER BY o.id LIMIT \(limit)
                    """, logger: self.logger)
            ) { row in
                OutboxDelivery(
                    id: try row.get("id", as: Int64.self), sink: try row.get("sink", as: String.self),
                    event: OutboxEvent(
                        id: try row.get("event_id", as: String.self), type: try row.get("event_type", as: String.self),
                        subject: try row.get("subject", as: String.self), body: try row.get("body", as: String.self)),
                    attempts: Int(try row.get("attempts", as: Int32.self)))
            }
        }
    }

    public func nextDeliveryDue() async throws -> Date? {
        try await read("read the next due delivery") { c in
            try await Self.first(
                try await c.query("SELECT MIN(next_attempt_at) AS due FROM event_outbox WHERE state = 'pending'", logger: self.logger)
            ) { try $0.get("due", as: Double?.self) }?.map { Date(timeIntervalSince1970: $0) }
        }
    }

    public func markDelivered(_ id: Int64, at: Date) async throws {
        try await transaction("mark delivery \(id) delivered") { c in
            _ = try await c.query("DELETE FROM event_outbox WHERE id = \(id)", logger: self.logger)
        }
    }

    public func markAttemptFailed(_ id: Int64, attempts: Int, retryAt: Date?, error: String, at: Date) async throws {
        let state = retryAt == nil ? "failed" : "pending", next = (retryAt ?? at).timeIntervalSince1970
        let reason = String(error.prefix(500)), now = at.timeIntervalSince1970, count = Int32(clamping: attempts)
        try await transaction("mark delivery \(id) failed") { c in
            _ = try await c.query(
                """
                UPDATE event_outbox SET state = \(state), attempts = \(count), next_attempt_at = \(next), last_error = \(reason),
                    updated_at = \(now) WHERE id = \(id)
                """, logger: self.logger)
        }
    }

    public func outboxCounts() async throws -> [OutboxCount] {
        try await read("count the outbox") { c in
            try await Self.all(
                try await c.query(
                    """
                    SELECT sink, SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 END) AS pending,
                           SUM(CASE WHEN state = 'failed' THEN 1 ELSE 0 END) AS failed
                    FROM event_outbox GROUP BY sink ORDER BY sink
                    """, logger: self.logger)
            ) { row in
                OutboxCount(sink: try row.get("sink", as: String.self), pending: Int(try row.get("pending", as: Int64.self)),
                            failed: Int(try row.get("failed", as: Int64.self)))
            }
        }
    }
}
