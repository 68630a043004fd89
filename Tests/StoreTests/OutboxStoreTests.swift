import Foundation
import Promotion
import Store
import Testing

/// The ``EventOutbox`` contract on SQLite (a PostgreSQL store must pass the same): stored once per sink, only the
/// oldest pending delivery per (sink, subject) is handed out, retries wait, a given-up delivery unblocks its subject,
/// and everything survives reopening the database.
@Suite struct OutboxStoreTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    func event(_ id: String, subject: String) -> OutboxEvent {
        OutboxEvent(id: id, type: "dev.cdevents.service.deployed.0.3.0", subject: subject, body: #"{"id":"\#(id)"}"#)
    }

    @Test func orderPerSubjectRetriesGivingUpAndReopening() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outbox-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("state.db").path
        var store = try SQLiteStore(path: path)
        let sinks = ["http://a.example/e", "http://b.example/e"]
        try await store.enqueue([event("e1", subject: "production/jukebox"), event("e2", subject: "production")], sinks: sinks, now: t0)
        try await store.enqueue([event("e3", subject: "production/jukebox"), event("e1", subject: "production/jukebox")], sinks: sinks, now: t0)

        // e1 was stored once per sink; e3 waits behind e1 (same subject).
        var due = try await store.dueDeliveries(now: t0, limit: 100)
        #expect(due.map { "\($0.sink.prefix(8))\($0.event.id)" } == ["http://ae1", "http://be1", "http://ae2", "http://be2"])
        #expect(try await store.outboxCounts() == sinks.map { OutboxCount(sink: $0, pending: 3, failed: 0) })

        // Sink a fails e1: retried at t0+10 s; until then neither e1 nor e3 goes to a.
        let a1 = try #require(due.first { $0.sink == sinks[0] && $0.event.id == "e1" })
        try await store.markAttemptFailed(a1.id, attempts: 1, retryAt: t0.addingTimeInterval(10), error: "HTTP 503", at: t0)
        for d in due where d.id != a1.id { try await store.markDelivered(d.id, at: t0) }
        due = try await store.dueDeliveries(now: t0.addingTimeInterval(1), limit: 100)
        #expect(due.map { "\($0.sink.prefix(8))\($0.event.id)" } == ["http://be3"])
        #expect(try await store.nextDeliveryDue() == t0)  // b's e3 is due since t0

        // Reopened (a restart): what was pending is still there, with its attempts.
        store = try SQLiteStore(path: path)
        due = try await store.dueDeliveries(now: t0.addingTimeInterval(10), limit: 100)
        #expect(due.map { "\($0.sink.prefix(8))\($0.event.id)/\($0.attempts)" } == ["http://ae1/1", "http://be3/0"])

        // Given up on: kept as failed, and e3 is no longer held up behind it.
        try await store.markAttemptFailed(due[0].id, attempts: 2, retryAt: nil, error: "HTTP 503", at: t0.addingTimeInterval(10))
        due = try await store.dueDeliveries(now: t0.addingTimeInterval(10), limit: 100)
        #expect(due.map { "\($0.sink.prefix(8))\($0.event.id)" } == ["http://ae3", "http://be3"])
        #expect(try await store.outboxCounts() == [OutboxCount(sink: sinks[0], pending: 1, failed: 1), OutboxCount(sink: sinks[1], pending: 1, failed: 0)])
        for d in due { try await store.markDelivered(d.id, at: t0.addingTimeInterval(11)) }
        #expect(try await store.nextDeliveryDue() == nil)
    }
}
