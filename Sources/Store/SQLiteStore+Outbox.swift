public import Foundation
internal import GRDB
public import Promotion

/// The CDEvents outbox on SQLite (``EventOutbox``): table `event_outbox`, one row per (sink, event). Delivered rows
/// are deleted; given-up rows stay with their last error.
extension SQLiteStore: EventOutbox {
    /// The outbox's migration (registered after every earlier one).
    static func registerOutboxMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-event-outbox") { db in
            try db.execute(sql: """
                CREATE TABLE event_outbox (
                    id INTEGER PRIMARY KEY,
                    sink TEXT NOT NULL,
                    event_id TEXT NOT NULL,
                    event_type TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    body TEXT NOT NULL,
                    state TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at DOUBLE PRECISION NOT NULL,
                    last_error TEXT,
                    created_at DOUBLE PRECISION NOT NULL,
                    updated_at DOUBLE PRECISION NOT NULL,
                    UNIQUE (sink, event_id)
                );
                CREATE INDEX event_outbox_pending ON event_outbox(state, sink, subject, id);
                """)
        }
    }

    public func enqueue(_ events: [OutboxEvent], sinks: [String], now: Date) async throws {
        guard !events.isEmpty, !sinks.isEmpty else { return }
        let at = now.timeIntervalSince1970
        try await write("enqueue \(events.count) event(s)") { db in
            for event in events {
                for sink in sinks {
                    try db.execute(
                        sql: """
                            INSERT INTO event_outbox (sink, event_id, event_type, subject, body, state, attempts, next_attempt_at,
                                                      created_at, updated_at)
                            VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?) ON CONFLICT (sink, event_id) DO NOTHING
                            """,
                        arguments: [sink, event.id, event.type, event.subject, event.body, at, at, at])
                }
            }
        }
    }

    public func dueDeliveries(now: Date, limit: Int) async throws -> [OutboxDelivery] {
        try await read("read the due deliveries") { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT o.id, o.sink, o.event_id, o.event_type, o.subject, o.body, o.attempts FROM event_outbox o
                    WHERE o.state = 'pending' AND o.next_attempt_at <= ?
                      AND o.id = (SELECT MIN(p.id) FROM event_outbox p WHERE p.state = 'pending' AND p.sink = o.sink AND p.subject = o.subject)
                    ORDER BY o.id LIMIT ?
                    """,
                arguments: [now.timeIntervalSince1970, limit])
            return rows.map { row in
                OutboxDelivery(
                    id: row["id"], sink: row["sink"],
                    event: OutboxEvent(id: row["event_id"], type: row["event_type"], subject: row["subject"], body: row["body"]),
                    attempts: row["attempts"])
            }
        }
    }

    public func nextDeliveryDue() async throws -> Date? {
        try await read("read the next due delivery") { db in
            try Double.fetchOne(db, sql: "SELECT MIN(next_attempt_at) FROM event_outbox WHERE state = 'pending'")
                .map { Date(timeIntervalSince1970: $0) }
        }
    }

    public func markDelivered(_ id: Int64, at: Date) async throws {
        try await write("mark delivery \(id) delivered") { db in
            try db.execute(sql: "DELETE FROM event_outbox WHERE id = ?", arguments: [id])
        }
    }

    public func markAttemptFailed(_ id: Int64, attempts: Int, retryAt: Date?, error: String, at: Date) async throws {
        try await write("mark delivery \(id) failed") { db in
            try db.execute(
                sql: "UPDATE event_outbox SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ?, updated_at = ? WHERE id = ?",
                arguments: [retryAt == nil ? "failed" : "pending", attempts, (retryAt ?? at).timeIntervalSince1970, String(error.prefix(500)),
                            at.timeIntervalSince1970, id])
        }
    }

    public func outboxCounts() async throws -> [OutboxCount] {
        try await read("count the outbox") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT sink, SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 END) AS pending,
                           SUM(CASE WHEN state = 'failed' THEN 1 ELSE 0 END) AS failed
                    FROM event_outbox GROUP BY sink ORDER BY sink
                    """
            ).map { OutboxCount(sink: $0["sink"], pending: $0["pending"], failed: $0["failed"]) }
        }
    }
}
