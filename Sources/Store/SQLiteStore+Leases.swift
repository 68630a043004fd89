public import Foundation
internal import GRDB
public import Promotion

/// Leases in SQLite, on this machine's clock. One `promote serve` uses a SQLite file (a second is refused), so they
/// never change hands between replicas; they are kept so that both stores pass the same contract tests and the
/// workers run the same way on both.
extension SQLiteStore: LeaseStore {
    public func acquire(_ name: String, holder: String, duration: Double) async throws -> Lease? {
        try await write("take the lease on \(name)") { db in
            let now = Date().timeIntervalSince1970
            return try Row.fetchOne(
                db,
                sql: """
                    INSERT INTO lease (name, holder, fencing, expires_at) VALUES (?, ?, 1, ?)
                    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, fencing = lease.fencing + 1,
                        expires_at = excluded.expires_at
                    WHERE lease.expires_at <= ?
                    RETURNING fencing, expires_at
                    """,
                arguments: [name, holder, now + duration, now]
            ).map { Lease(name: name, holder: holder, fencing: $0["fencing"], expiresAt: Date(timeIntervalSince1970: $0["expires_at"])) }
        }
    }

    public func renew(_ lease: Lease, duration: Double) async throws -> Lease? {
        try await write("renew the lease on \(lease.name)") { db in
            let now = Date().timeIntervalSince1970
            try db.execute(
                sql: "UPDATE lease SET expires_at = ? WHERE name = ? AND holder = ? AND fencing = ? AND expires_at > ?",
                arguments: [now + duration, lease.name, lease.holder, lease.fencing, now])
            guard db.changesCount == 1 else { return nil }
            var renewed = lease
            renewed.expiresAt = Date(timeIntervalSince1970: now + duration)
            return renewed
        }
    }

    public func release(_ lease: Lease) async throws {
        try await write("give up the lease on \(lease.name)") { db in
            try db.execute(
                sql: "UPDATE lease SET expires_at = 0 WHERE name = ? AND holder = ? AND fencing = ?",
                arguments: [lease.name, lease.holder, lease.fencing])
        }
    }

    public func claim(_ ids: [String], for holder: String) async throws -> [String] {
        guard !ids.isEmpty else { return [] }
        return try await write("claim promotions") { db in
            let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
            let claimed = try String.fetchAll(
                db, sql: "SELECT id FROM promotion WHERE state = 'queued' AND id IN (\(marks)) ORDER BY created_at, id",
                arguments: StatementArguments(ids))
            try db.execute(
                sql: "UPDATE promotion SET claimed_by = ? WHERE state = 'queued' AND id IN (\(marks))",
                arguments: StatementArguments([holder] + ids))
            return claimed
        }
    }

    public func endLeasesOfGoneReplicas(restarting holder: String) async throws {
        try await write("end the leases of a previous process") { db in
            try db.execute(sql: "UPDATE lease SET expires_at = 0 WHERE holder NOT LIKE ? || '%'", arguments: [Lease.commandHolderPrefix])
        }
    }

    /// Throws ``LeaseLost`` unless `lease` is still held (inside the caller's transaction).
    static func check(_ lease: Lease, _ db: Database) throws {
        let held = try Bool.fetchOne(
            db, sql: "SELECT 1 FROM lease WHERE name = ? AND holder = ? AND fencing = ? AND expires_at > ?",
            arguments: [lease.name, lease.holder, lease.fencing, Date().timeIntervalSince1970]) ?? false
        guard held else { throw LeaseLost(lease: lease.name) }
    }
}
