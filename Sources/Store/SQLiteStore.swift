public import Foundation
internal import GRDB
public import Promotion

/// The ``PromotionStore`` on SQLite through GRDB. SQL is kept portable (plain tables, no SQLite-only types) so a
/// PostgreSQL store can share the schema later.
public final class SQLiteStore: PromotionStore, Sendable {
    private let writer: any DatabaseWriter
    /// Where the database lives (":memory:" for an in-memory store).
    public let location: String
    /// The replica (`promote serve --replica`) named in the audit entries this store writes, if any.
    public let replica: String?

    /// Opens (creating and migrating as needed) the database at `path`; `nil` keeps it in memory (tests).
    public init(path: String?, replica: String? = nil) throws(StoreError) {
        self.replica = replica
        do {
            if let path {
                let directory = (path as NSString).deletingLastPathComponent
                if !directory.isEmpty {
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                }
                writer = try Self.openPool(path)
                location = path
            } else {
                writer = try DatabaseQueue()
                location = ":memory:"
            }
            try Self.migrate(writer)
        } catch {
            throw StoreError(operation: "open \(path ?? ":memory:")", underlying: error)
        }
    }

    /// The WAL pool at `path`. Turning a new file to WAL is not covered by the busy timeout: a second process doing
    /// the same at that moment is told "database is locked", and tries again shortly (for at most about two seconds).
    static func openPool(_ path: String) throws -> DatabasePool {
        var config = Configuration()
        config.busyMode = .timeout(10)
        // SQLite's page cache is per connection (2 MiB by default, one writer and up to five readers): a long-running
        // service keeps 1 MiB each, which holds the queue's and the ledger's hot pages.
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -1024") }
        for attempt in 1... {
            do {
                return try DatabasePool(path: path, configuration: config)
            } catch let error as DatabaseError where attempt < 40 && [.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode) {
                usleep(50_000)  // once, at start, and only while another opener holds the new file
            }
        }
        fatalError("unreachable")
    }

    /// Brings the schema up to date. Several processes opening a new database at once (replicas, a CLI command
    /// beside `serve`) can each read "not applied yet" before one of them applies a step; the loser's step then fails
    /// inside its own transaction (rolled back, nothing half-written) and it reads again: the winner's steps count
    /// as applied. A failure that is not such a race comes back every time and is thrown.
    static func migrate(_ writer: any DatabaseWriter) throws {
        for attempt in 1... {
            do {
                return try migrator.migrate(writer)
            } catch let error as DatabaseError where attempt < 8 && error.resultCode == .SQLITE_ERROR {
                continue
            }
        }
    }

    /// The schema of ``StoreSchema`` (shared with the PostgreSQL store), one GRDB migration per step.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in StoreSchema.migrations {
            migrator.registerMigration(migration.name) { db in
                for statement in migration.statements { try db.execute(sql: StoreSchema.Dialect.sqlite.render(statement)) }
            }
        }
        return migrator
    }

    public func admit(_ request: ReleaseRequest, origin: String, now: Date) async throws -> (record: PromotionRecord, created: Bool) {
        let json = try StoreCoding.encode(request)
        return try await write("admit \(request.model)@\(request.version)") { db in
            if let found = try Self.existing(request, db, now: now) { return (found, false) }
            let id = StoreCoding.newID(now: now)
            try db.execute(
                sql: """
                    INSERT INTO promotion (id, idempotency_key, model, version, request, origin, state, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id, request.idempotencyKey, request.model, request.version, json, origin,
                            PromotionState.queued.rawValue, now.timeIntervalSince1970, now.timeIntervalSince1970])
            return (PromotionRecord(id: id, request: request, origin: origin, state: .queued, createdAt: now, updatedAt: now), true)
        }
    }

    public func admit(
        _ request: ReleaseRequest, origin: String, delivery: Delivery?, now: Date
    ) async throws -> (record: PromotionRecord, created: Bool) {
        guard let delivery else { return try await admit(request, origin: origin, now: now) }
        let json = try StoreCoding.encode(request)
        return try await write("admit \(request.model)@\(request.version)") { db in
            if let seen = try Row.fetchOne(db, sql: "SELECT * FROM delivery WHERE id = ?", arguments: [delivery.id]) {
                let promotionID: String = seen["promotion_id"]
                guard let row = try Row.fetchOne(db, sql: "SELECT * FROM promotion WHERE id = ?", arguments: [promotionID]) else {
                    throw StoreError(operation: "admit", message: "delivery \(delivery.id) names a missing promotion")
                }
                return (try Self.promotion(row, db), false)
            }
            let outcome: (record: PromotionRecord, created: Bool)
            if let found = try Self.existing(request, db, now: now) {
                outcome = (found, false)
            } else {
                let id = StoreCoding.newID(now: now)
                try db.execute(
                    sql: """
                        INSERT INTO promotion (id, idempotency_key, model, version, request, origin, state, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [id, request.idempotencyKey, request.model, request.version, json, origin,
                                PromotionState.queued.rawValue, now.timeIntervalSince1970, now.timeIntervalSince1970])
                outcome = (PromotionRecord(id: id, request: request, origin: origin, state: .queued, createdAt: now, updatedAt: now), true)
            }
            try db.execute(
                sql: "INSERT INTO delivery (id, digest, promotion_id, received_at) VALUES (?, ?, ?, ?)",
                arguments: [delivery.id, delivery.digest, outcome.record.id, now.timeIntervalSince1970])
            return outcome
        }
    }

    /// The promotion already admitted under `request`'s idempotency key: the same request again is the same
    /// promotion (a `failed` one is queued again, to be decided again); another request under the key is refused.
    private static func existing(_ request: ReleaseRequest, _ db: Database, now: Date) throws -> PromotionRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM promotion WHERE idempotency_key = ?", arguments: [request.idempotencyKey])
        else { return nil }
        var record = try promotion(row, db)
        guard record.request.identity == request.identity else {
            throw AdmissionConflict(key: request.idempotencyKey, promotionID: record.id)
        }
        if record.state == .failed {
            try db.execute(
                sql: "UPDATE promotion SET state = ?, detail = ?, attempts = 0, updated_at = ? WHERE id = ?",
                arguments: [PromotionState.queued.rawValue, "decided again: the request was sent again after it failed",
                            now.timeIntervalSince1970, record.id])
            record.state = .queued
            record.detail = "decided again: the request was sent again after it failed"
        }
        return record
    }

    public func delivery(id: String) async throws -> (digest: String, promotionID: String)? {
        try await read("read delivery") { db in
            try Row.fetchOne(db, sql: "SELECT digest, promotion_id FROM delivery WHERE id = ?", arguments: [id]).map { row in
                (digest: row["digest"] as String, promotionID: row["promotion_id"] as String)
            }
        }
    }

    public func promotionCounts() async throws -> [PromotionCount] {
        try await read("count promotions") { db in
            try Row.fetchAll(db, sql: """
                SELECT p.state AS state, s.environment AS environment, COUNT(DISTINCT p.id) AS n
                FROM promotion p LEFT JOIN promotion_step s ON s.promotion_id = p.id
                GROUP BY p.state, s.environment
                """).map { row in
                PromotionCount(
                    state: PromotionState(rawValue: row["state"]) ?? .failed, environment: row["environment"], count: row["n"])
            }
        }
    }

    public func promotion(id: String) async throws -> PromotionRecord? {
        try await read("read promotion \(id)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM promotion WHERE id = ?", arguments: [id]).map { try Self.promotion($0, db) }
        }
    }

    public func promotions(model: String?, limit: Int) async throws -> [PromotionRecord] {
        try await read("list promotions") { db in
            let rows: [Row]
            if let model {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM promotion WHERE model = ? ORDER BY created_at DESC, id DESC LIMIT ?", arguments: [model, limit])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM promotion ORDER BY created_at DESC, id DESC LIMIT ?", arguments: [limit])
            }
            return try rows.map { try Self.promotion($0, db) }
        }
    }

    public func promotions(in states: Set<PromotionState>, limit: Int) async throws -> [PromotionRecord] {
        guard !states.isEmpty else { return [] }
        return try await read("list promotions by state") { db in
            let marks = Array(repeating: "?", count: states.count).joined(separator: ", ")
            var arguments = StatementArguments(states.map(\.rawValue).sorted())
            arguments += [limit]
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM promotion WHERE state IN (\(marks)) ORDER BY created_at, id LIMIT ?", arguments: arguments)
            return try rows.map { try Self.promotion($0, db) }
        }
    }

    public func setState(_ state: PromotionState, detail: String?, of id: String, now: Date) async throws {
        try await write("set state of \(id)") { db in
            try db.execute(
                sql: "UPDATE promotion SET state = ?, detail = ?, updated_at = ? WHERE id = ?",
                arguments: [state.rawValue, detail, now.timeIntervalSince1970, id])
            guard db.changesCount == 1 else { throw StoreError(operation: "set state of \(id)", message: "no such promotion") }
        }
    }

    public func appendStep(_ step: PromotionStep, to id: String) async throws {
        try await write("append step to \(id)") { db in
            try db.execute(
                sql: """
                    INSERT INTO promotion_step (promotion_id, environment, action, commit_id, pr_number, pr_url, detail, at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id, step.environment, step.action.rawValue, step.commit, step.pullRequestNumber,
                            step.pullRequestURL, step.detail, step.at.timeIntervalSince1970])
            try db.execute(sql: "UPDATE promotion SET updated_at = ? WHERE id = ?", arguments: [step.at.timeIntervalSince1970, id])
        }
    }

    public func ledger(model: String?, environment: String?) async throws -> [LedgerEntry] {
        try await read("read ledger") { db in
            var conditions: [String] = []
            var arguments = StatementArguments()
            if let model { conditions.append("model = ?"); arguments += [model] }
            if let environment { conditions.append("environment = ?"); arguments += [environment] }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            // The newest entry of each (model, environment, status): the live version and any open proposal.
            let rows = try Row.fetchAll(db, sql: """
                SELECT l.* FROM ledger l
                JOIN (SELECT MAX(id) AS id FROM ledger \(filter) GROUP BY model, environment, status) newest ON newest.id = l.id
                ORDER BY l.model, l.environment, l.id
                """, arguments: arguments)
            let entries = try rows.map(Self.ledgerEntry)
            // A proposal or withdrawal older than the live entry no longer matters.
            var liveID: [String: Int64] = [:]
            for (row, entry) in zip(rows, entries) where entry.status == .live {
                liveID[entry.model + "\u{0}" + entry.environment] = row["id"]
            }
            return zip(rows, entries).compactMap { row, entry in
                guard entry.status != .live, let live = liveID[entry.model + "\u{0}" + entry.environment] else { return entry }
                let id: Int64 = row["id"]
                return id > live ? entry : nil
            }
        }
    }

    public func ledgerHistory(model: String, environment: String) async throws -> [LedgerEntry] {
        try await read("read ledger history") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM ledger WHERE model = ? AND environment = ? ORDER BY id DESC",
                arguments: [model, environment]
            ).map(Self.ledgerEntry)
        }
    }

    public func record(_ entry: LedgerEntry) async throws {
        let metrics = try StoreCoding.encode(entry.metrics)
        try await write("record ledger \(entry.model)/\(entry.environment)") { db in
            try db.execute(
                sql: """
                    INSERT INTO ledger (model, environment, version, uri, metrics, status, commit_id, pr_number, pr_url, promotion_id, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [entry.model, entry.environment, entry.version, entry.uri, metrics, entry.status.rawValue,
                            entry.commit, entry.pullRequestNumber, entry.pullRequestURL, entry.promotionID,
                            entry.recordedAt.timeIntervalSince1970])
        }
    }

    public func audit(_ entry: AuditEntry) async throws {
        try await write("append audit") { db in
            try db.execute(
                sql: "INSERT INTO audit (at, actor, action, model, environment, promotion_id, detail, replica) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [entry.at.timeIntervalSince1970, entry.actor, entry.action, entry.model, entry.environment,
                            entry.promotionID, entry.detail, entry.replica ?? self.replica])
        }
    }

    public func auditLog(model: String?, limit: Int) async throws -> [AuditEntry] {
        try await read("read audit log") { db in
            let rows: [Row]
            if let model {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE model = ? ORDER BY id DESC LIMIT ?", arguments: [model, limit])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY id DESC LIMIT ?", arguments: [limit])
            }
            return rows.map { row in
                AuditEntry(
                    at: Date(timeIntervalSince1970: row["at"]), actor: row["actor"], action: row["action"], model: row["model"],
                    environment: row["environment"], promotionID: row["promotion_id"], detail: row["detail"], replica: row["replica"])
            }
        }
    }

    public func auditLog(model: String?, since: Date, limit: Int) async throws -> [AuditEntry] {
        try await read("read audit log") { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM audit WHERE at >= ? AND (? IS NULL OR model = ?) ORDER BY at DESC, id DESC LIMIT ?",
                arguments: [since.timeIntervalSince1970, model, model, limit])
            return rows.map { row in
                AuditEntry(
                    at: Date(timeIntervalSince1970: row["at"]), actor: row["actor"], action: row["action"], model: row["model"],
                    environment: row["environment"], promotionID: row["promotion_id"], detail: row["detail"], replica: row["replica"])
            }
        }
    }

    public func replaceDrift(_ findings: [DriftFinding], at: Date) async throws {
        try await write("replace drift") { db in
            try db.execute(sql: "DELETE FROM drift")
            for f in findings {
                try db.execute(
                    sql: """
                        INSERT INTO drift (model, environment, kind, expected, actual, action, detail, seen_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [f.model, f.environment, f.kind.rawValue, f.expected, f.actual, f.action.rawValue, f.detail,
                                at.timeIntervalSince1970])
            }
            try db.execute(sql: "DELETE FROM reconciliation")
            try db.execute(
                sql: "INSERT INTO reconciliation (at, findings) VALUES (?, ?)", arguments: [at.timeIntervalSince1970, findings.count])
        }
    }

    public func drift(model: String?) async throws -> [DriftRecord] {
        try await read("read drift") { db in
            let rows: [Row]
            if let model {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM drift WHERE model = ? ORDER BY model, environment, id", arguments: [model])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM drift ORDER BY model, environment, id")
            }
            return rows.compactMap { row -> DriftRecord? in
                guard let kind = DriftFinding.Kind(rawValue: row["kind"]), let action = DriftFinding.Action(rawValue: row["action"])
                else { return nil }
                return DriftRecord(
                    finding: DriftFinding(
                        model: row["model"], environment: row["environment"], kind: kind, expected: row["expected"],
                        actual: row["actual"], action: action, detail: row["detail"]),
                    seenAt: Date(timeIntervalSince1970: row["seen_at"]))
            }
        }
    }

    public func proposal(model: String, version: String, environment: String) async throws -> Proposal? {
        try await read("read proposal") { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM proposal WHERE model = ? AND version = ? AND environment = ?",
                arguments: [model, version, environment]
            ).map(Self.proposal)
        }
    }

    public func proposals(model: String?, environment: String?) async throws -> [Proposal] {
        try await read("read proposals") { db in
            var conditions: [String] = []
            var arguments = StatementArguments()
            if let model { conditions.append("model = ?"); arguments += [model] }
            if let environment { conditions.append("environment = ?"); arguments += [environment] }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            return try Row.fetchAll(db, sql: "SELECT * FROM proposal \(filter) ORDER BY updated_at DESC", arguments: arguments)
                .map(Self.proposal)
        }
    }

    public func saveProposal(_ proposal: Proposal) async throws -> Proposal {
        try await write("save proposal \(proposal.model)@\(proposal.version)/\(proposal.environment)") { db in
            if let row = try Row.fetchOne(
                db, sql: "SELECT * FROM proposal WHERE model = ? AND version = ? AND environment = ?",
                arguments: [proposal.model, proposal.version, proposal.environment])
            {
                let stored = Self.proposal(row)
                guard stored.state.canMove(to: proposal.state) else { return stored }
                try db.execute(
                    sql: """
                        UPDATE proposal SET uri = ?, state = ?, commit_id = ?, pr_number = ?, pr_url = ?, promotion_id = ?,
                            detail = ?, edit_notice = ?, updated_at = ?
                        WHERE model = ? AND version = ? AND environment = ?
                        """,
                    arguments: [proposal.uri, proposal.state.rawValue, proposal.commit ?? stored.commit,
                                proposal.pullRequestNumber ?? stored.pullRequestNumber, proposal.pullRequestURL ?? stored.pullRequestURL,
                                proposal.promotionID ?? stored.promotionID, proposal.detail,
                                (proposal.editNoticePosted || stored.editNoticePosted) ? 1 : 0,
                                proposal.updatedAt.timeIntervalSince1970, proposal.model, proposal.version, proposal.environment])
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO proposal (model, version, environment, uri, state, commit_id, pr_number, pr_url, promotion_id,
                            detail, edit_notice, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [proposal.model, proposal.version, proposal.environment, proposal.uri, proposal.state.rawValue,
                                proposal.commit, proposal.pullRequestNumber, proposal.pullRequestURL, proposal.promotionID,
                                proposal.detail, proposal.editNoticePosted ? 1 : 0, proposal.updatedAt.timeIntervalSince1970])
            }
            try Self.stampStages(db, proposal)
            let row = try Row.fetchOne(
                db, sql: "SELECT * FROM proposal WHERE model = ? AND version = ? AND environment = ?",
                arguments: [proposal.model, proposal.version, proposal.environment])
            return row.map(Self.proposal) ?? proposal
        }
    }

    public func beginAttempt(of id: String) async throws -> Int {
        try await write("count a start of \(id)") { db in
            try db.execute(sql: "UPDATE promotion SET attempts = attempts + 1 WHERE id = ?", arguments: [id])
            return try Int.fetchOne(db, sql: "SELECT attempts FROM promotion WHERE id = ?", arguments: [id]) ?? 0
        }
    }

    public func endAttempts(of id: String) async throws {
        try await write("reset the starts of \(id)") { db in
            try db.execute(sql: "UPDATE promotion SET attempts = 0 WHERE id = ?", arguments: [id])
        }
    }

    public func attempts(of id: String) async throws -> Int {
        try await read("read the starts of \(id)") { db in
            try Int.fetchOne(db, sql: "SELECT attempts FROM promotion WHERE id = ?", arguments: [id]) ?? 0
        }
    }

    public func lastReconciliation() async throws -> Date? {
        try await read("read last reconciliation") { db in
            try Double.fetchOne(db, sql: "SELECT MAX(at) FROM reconciliation").map { Date(timeIntervalSince1970: $0) }
        }
    }

    // MARK: - Mapping

    private static func promotion(_ row: Row, _ db: Database) throws -> PromotionRecord {
        let id: String = row["id"]
        let requestJSON: String = row["request"]
        let request = try JSONDecoder().decode(ReleaseRequest.self, from: Data(requestJSON.utf8))
        let steps = try Row.fetchAll(db, sql: "SELECT * FROM promotion_step WHERE promotion_id = ? ORDER BY id", arguments: [id]).map { s in
            PromotionStep(
                environment: s["environment"], action: PromotionStep.Action(rawValue: s["action"]) ?? .failed,
                commit: s["commit_id"], pullRequestNumber: s["pr_number"], pullRequestURL: s["pr_url"], detail: s["detail"],
                at: Date(timeIntervalSince1970: s["at"]))
        }
        return PromotionRecord(
            id: id, request: request, origin: row["origin"], state: PromotionState(rawValue: row["state"]) ?? .failed,
            detail: row["detail"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
            updatedAt: Date(timeIntervalSince1970: row["updated_at"]), steps: steps)
    }

    static func proposal(_ row: Row) -> Proposal {
        var proposal = Proposal(
            model: row["model"], version: row["version"], environment: row["environment"], uri: row["uri"],
            state: ProposalState(rawValue: row["state"]) ?? .failed, commit: row["commit_id"], pullRequestNumber: row["pr_number"],
            pullRequestURL: row["pr_url"], promotionID: row["promotion_id"], detail: row["detail"],
            editNoticePosted: (row["edit_notice"] as Int) != 0, updatedAt: Date(timeIntervalSince1970: row["updated_at"]))
        readStages(row, into: &proposal)
        return proposal
    }

    private static func ledgerEntry(_ row: Row) throws -> LedgerEntry {
        let metricsJSON: String = row["metrics"]
        return LedgerEntry(
            model: row["model"], environment: row["environment"], version: row["version"], uri: row["uri"],
            metrics: try JSONDecoder().decode([String: Double].self, from: Data(metricsJSON.utf8)),
            status: LedgerEntry.Status(rawValue: row["status"]) ?? .withdrawn, commit: row["commit_id"],
            pullRequestNumber: row["pr_number"], pullRequestURL: row["pr_url"], promotionID: row["promotion_id"],
            recordedAt: Date(timeIntervalSince1970: row["recorded_at"]))
    }

    func read<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await writer.read(body) } catch let error as StoreError { throw error } catch {
            throw StoreError(operation: operation, underlying: error)
        }
    }

    /// Runs `body` in one write transaction, after checking there that every lease the calling task works under
    /// (``Lease/held``) is still held: a replica that lost its lease writes nothing.
    func write<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let leases = Lease.held
        do {
            return try await writer.write { db in
                for lease in leases { try Self.check(lease, db) }
                return try body(db)
            }
        } catch let error as StoreError { throw error } catch let error as AdmissionConflict { throw error } catch let error as LeaseLost {
            throw error
        } catch {
            throw StoreError(operation: operation, underlying: error)
        }
    }
}
