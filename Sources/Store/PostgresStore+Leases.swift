public import Foundation
public import Promotion
internal import PostgresNIO

/// Leases on the database's clock (replicas on several machines need not agree on the time).
extension PostgresStore: LeaseStore, WriteProbing {
    public func acquire(_ name: String, holder: String, duration: Double) async throws -> Lease? {
        try await transaction("take the lease on \(name)") { c in
            try await Self.first(try await c.query(
                """
                INSERT INTO lease (name, holder, fencing, expires_at)
                VALUES (\(name), \(holder), 1, EXTRACT(EPOCH FROM clock_timestamp()) + \(duration))
                ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, fencing = lease.fencing + 1, expires_at = EXCLUDED.expires_at
                WHERE lease.expires_at <= EXTRACT(EPOCH FROM clock_timestamp())
                RETURNING fencing, expires_at::double precision AS expires_at
                """, logger: self.logger)) { row in
                Lease(name: name, holder: holder, fencing: Int(try row.get("fencing", as: Int64.self)),
                      expiresAt: Date(timeIntervalSince1970: try row.get("expires_at")))
            }
        }
    }

    public func renew(_ lease: Lease, duration: Double) async throws -> Lease? {
        try await transaction("renew the lease on \(lease.name)") { c in
            try await Self.first(try await c.query(
                """
                UPDATE lease SET expires_at = EXTRACT(EPOCH FROM clock_timestamp()) + \(duration)
                WHERE name = \(lease.name) AND holder = \(lease.holder) AND fencing = \(lease.fencing)
                    AND expires_at > EXTRACT(EPOCH FROM clock_timestamp())
                RETURNING expires_at::double precision AS expires_at
                """, logger: self.logger)) { row in
                var renewed = lease
                renewed.expiresAt = Date(timeIntervalSince1970: try row.get("expires_at"))
                return renewed
            }
        }
    }

    public func release(_ lease: Lease) async throws {
        try await transaction("give up the lease on \(lease.name)") { c in
            _ = try await c.query(
                "UPDATE lease SET expires_at = 0 WHERE name = \(lease.name) AND holder = \(lease.holder) AND fencing = \(lease.fencing)",
                logger: self.logger)
        }
    }

    public func claim(_ ids: [String], for holder: String) async throws -> [String] {
        guard !ids.isEmpty else { return [] }
        return try await transaction("claim promotions") { c in
            try await Self.all(try await c.query(
                """
                UPDATE promotion SET claimed_by = \(holder)
                WHERE id IN (SELECT id FROM promotion WHERE state = 'queued' AND id = ANY(\(ids))
                             ORDER BY created_at, id FOR UPDATE SKIP LOCKED)
                RETURNING id
                """, logger: self.logger)) { try $0.get("id", as: String.self) }
        }
    }

    public func endLeasesOfGoneReplicas(restarting holder: String) async throws {
        try await transaction("end the leases of \(holder)'s previous run") { c in
            _ = try await c.query("UPDATE lease SET expires_at = 0 WHERE holder = \(holder)", logger: self.logger)
        }
    }

    /// Proves a write can be committed now (a one-row upsert), within two seconds: a database that is down or
    /// refuses writes makes `/readyz` answer 503.
    public func probeWrite() async throws {
        try await Self.within(.seconds(2), "write probe") {
            try await Lease.$held.withValue([]) {
                try await self.transaction("write probe") { c in
                    _ = try await c.query(
                        """
                        INSERT INTO lease (name, holder, fencing, expires_at) VALUES ('readiness-probe', \(self.replica ?? "probe"), 0, 0)
                        ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder
                        """, logger: self.logger)
                }
            }
        }
    }
}
