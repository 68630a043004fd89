internal import Foundation
internal import GRDB
public import Promotion

extension SQLiteStore: WriteProbing {
    /// Writes one row on a connection of its own, waiting at most a second for the write lock: a locked database
    /// or a full disk makes `/readyz` answer 503 instead of letting it claim readiness.
    public func probeWrite() async throws {
        guard location != ":memory:" else { return }
        do {
            var config = Configuration()
            config.busyMode = .timeout(1)
            let queue = try DatabaseQueue(path: location, configuration: config)
            try await queue.write { db in
                try db.execute(sql: "CREATE TABLE IF NOT EXISTS readiness_probe (id INTEGER PRIMARY KEY, at REAL NOT NULL)")
                try db.execute(sql: "INSERT OR REPLACE INTO readiness_probe (id, at) VALUES (1, ?)", arguments: [Date().timeIntervalSince1970])
            }
            try queue.close()
        } catch {
            throw StoreError(operation: "write probe", underlying: error)
        }
    }
}
