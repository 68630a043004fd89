public import Foundation
public import Promotion
internal import PostgresNIO

/// The ``PromotionStore`` operations on PostgreSQL: the same statements and meaning as ``SQLiteStore``'s (the
/// contract tests run against both), in PostgreSQL's placeholders.
extension PostgresStore {
    public func admit(_ request: ReleaseRequest, origin: String, now: Date) async throws -> (record: PromotionRecord, created: Bool) {
        try await admit(request, origin: origin, delivery: nil, now: now)
    }

    public func admit(
        _ request: ReleaseRequest, origin: String, delivery: Delivery?, now: Date
    ) async throws -> (record: PromotionRecord, created: Bool) {
        let json = try StoreCoding.encode(request)
        return try await transaction("admit \(request.model)@\(request.version)") { c in
            if let delivery, let promotionID = try await Self.first(
                try await c.query("SELECT promotion_id FROM delivery WHERE id = \(delivery.id)", logger: self.logger), { try $0.get("promotion_id", as: String.self) })
            {
                guard let found = try await self.promotion(promotionID, c) else {
                    throw StoreError(operation: "admit", message: "delivery \(delivery.id) names a missing promotion")
                }
                return (found, false)
            }
            let outcome: (record: PromotionRecord, created: Bool)
            if let found = try await self.existing(request, c, now: now) {
                outcome = (found, false)
            } else {
                let id = StoreCoding.newID(now: now)
                let at = now.timeIntervalSince1970
                try await c.query(
                    """
                    INSERT INTO promotion (id, idempotency_key, model, version, request, origin, state, created_at, updated_at)
                    VALUES (\(id), \(request.idempotencyKey), \(request.model), \(request.version), \(json), \(origin),
                        \(PromotionState.queued.rawValue), \(at), \(at))
                    """, logger: self.logger)
                outcome = (PromotionRecord(id: id, request: request, origin: origin, state: .queued, createdAt: now, updatedAt: now), true)
            }
            if let delivery {
                try await c.query(
                    """
                    INSERT INTO delivery (id, digest, promotion_id, received_at)
                    VALUES (\(delivery.id), \(delivery.digest), \(outcome.record.id), \(now.timeIntervalSince1970))
                    """, logger: self.logger)
            }
            return outcome
        }
    }

    /// The promotion already admitted under `request`'s idempotency key (see ``SQLiteStore``).
    private func existing(_ request: ReleaseRequest, _ c: PostgresConnection, now: Date) async throws -> PromotionRecord? {
        guard let id = try await Self.first(
            try await c.query("SELECT id FROM promotion WHERE idempotency_key = \(request.idempotencyKey) FOR UPDATE", logger: self.logger),
            { try $0.get("id", as: String.self) }),
            var record = try await promotion(id, c)
        else { return nil }
        guard record.request.identity == request.identity else {
            throw AdmissionConflict(key: request.idempotencyKey, promotionID: record.id)
        }
        if record.state == .failed {
            let detail = "decided again: the request was sent again after it failed"
            try await c.query(
                """
                UPDATE promotion SET state = \(PromotionState.queued.rawValue), detail = \(detail), attempts = 0,
                    updated_at = \(now.timeIntervalSince1970) WHERE id = \(record.id)
                """, logger: self.logger)
            record.state = .queued
            record.detail = detail
        }
        return record
    }

    public func delivery(id: String) async throws -> (digest: String, promotionID: String)? {
        try await read("read delivery") { c in
            try await Self.first(try await c.query("SELECT digest, promotion_id FROM delivery WHERE id = \(id)", logger: self.logger)) {
                (digest: try $0.get("digest", as: String.self), promotionID: try $0.get("promotion_id", as: String.self))
            }
        }
    }

    public func promotionCounts() async throws -> [PromotionCount] {
        try await read("count promotions") { c in
            try await Self.all(try await c.query("""
                SELECT p.state AS state, s.environment AS environment, COUNT(DISTINCT p.id) AS n
                FROM promotion p LEFT JOIN promotion_step s ON s.promotion_id = p.id
                GROUP BY p.state, s.environment
                """, logger: self.logger)) { row in
                PromotionCount(
                    state: PromotionState(rawValue: try row.get("state", as: String.self)) ?? .failed,
                    environment: try row.get("environment", as: String?.self), count: try row.get("n", as: Int.self))
            }
        }
    }

    public func promotion(id: String) async throws -> PromotionRecord? {
        try await read("read promotion \(id)") { c in try await self.promotion(id, c) }
    }

    public func promotions(model: String?, limit: Int) async throws -> [PromotionRecord] {
        try await read("list promotions") { c in
            let ids = try await Self.all(try await c.query(
                """
                SELECT id FROM promotion WHERE (\(model)::text IS NULL OR model = \(model))
                ORDER BY created_at DESC, id DESC LIMIT \(limit)
                """, logger: self.logger)) { try $0.get("id", as: String.self) }
            return try await self.promotions(ids, c)
        }
    }

    public func promotions(in states: Set<PromotionState>, limit: Int) async throws -> [PromotionRecord] {
        guard !states.isEmpty else { return [] }
        return try await read("list promotions by state") { c in
            let ids = try await Self.all(try await c.query(
                """
                SELECT id FROM promotion WHERE state = ANY(\(states.map(\.rawValue).sorted()))
                ORDER BY created_at, id LIMIT \(limit)
                """, logger: self.logger)) { try $0.get("id", as: String.self) }
            return try await self.promotions(ids, c)
        }
    }

    public func setState(_ state: PromotionState, detail: String?, of id: String, now: Date) async throws {
        try await transaction("set state of \(id)") { c in
            let changed = try await Self.first(try await c.query(
                """
                UPDATE promotion SET state = \(state.rawValue), detail = \(detail), updated_at = \(now.timeIntervalSince1970)
                WHERE id = \(id) RETURNING id
                """, logger: self.logger)) { _ in true } ?? false
            guard changed else { throw StoreError(operation: "set state of \(id)", message: "no such promotion") }
        }
    }

    public func appendStep(_ step: PromotionStep, to id: String) async throws {
        try await transaction("append step to \(id)") { c in
            _ = try await c.query(
                """
                INSERT INTO promotion_step (promotion_id, environment, action, commit_id, pr_number, pr_url, detail, at)
                VALUES (\(id), \(step.environment), \(step.action.rawValue), \(step.commit), \(step.pullRequestNumber),
                    \(step.pullRequestURL), \(step.detail), \(step.at.timeIntervalSince1970))
                """, logger: self.logger)
            try await c.query("UPDATE promotion SET updated_at = \(step.at.timeIntervalSince1970) WHERE id = \(id)", logger: self.logger)
        }
    }

    public func ledger(model: String?, environment: String?) async throws -> [LedgerEntry] {
        try await read("read ledger") { c in
            // The newest entry of each (model, environment, status): the live version and any open proposal.
            let rows = try await Self.all(try await c.query(
                """
                SELECT l.* FROM ledger l
                JOIN (SELECT MAX(id) AS id FROM ledger
                      WHERE (\(model)::text IS NULL OR model = \(model)) AND (\(environment)::text IS NULL OR environment = \(environment))
                      GROUP BY model, environment, status) newest ON newest.id = l.id
                ORDER BY l.model, l.environment, l.id
                """, logger: self.logger)) { row in (id: try row.get("id", as: Int64.self), entry: try Self.ledgerEntry(row)) }
            // A proposal or withdrawal older than the live entry no longer matters.
            var liveID: [String: Int64] = [:]
            for row in rows where row.entry.status == .live { liveID[row.entry.model + "\u{0}" + row.entry.environment] = row.id }
            return rows.compactMap { row in
                guard row.entry.status != .live, let live = liveID[row.entry.model + "\u{0}" + row.entry.environment] else { return row.entry }
                return row.id > live ? row.entry : nil
            }
        }
    }

    public func ledgerHistory(model: String, environment: String) async throws -> [LedgerEntry] {
        try await read("read ledger history") { c in
            try await Self.all(try await c.query(
                "SELECT * FROM ledger WHERE model = \(model) AND environment = \(environment) ORDER BY id DESC", logger: self.logger),
                Self.ledgerEntry)
        }
    }

    public func record(_ entry: LedgerEntry) async throws {
        let metrics = try StoreCoding.encode(entry.metrics)
        try await transaction("record ledger \(entry.model)/\(entry.environment)") { c in
            _ = try await c.query(
                """
                INSERT INTO ledger (model, environment, version, uri, metrics, status, commit_id, pr_number, pr_url, promotion_id, recorded_at)
                VALUES (\(entry.model), \(entry.environment), \(entry.version), \(entry.uri), \(metrics), \(entry.status.rawValue),
                    \(entry.commit), \(entry.pullRequestNumber), \(entry.pullRequestURL), \(entry.promotionID),
                    \(entry.recordedAt.timeIntervalSince1970))
                """, logger: self.logger)
        }
    }

    public func audit(_ entry: AuditEntry) async throws {
        try await transaction("append audit") { c in
            _ = try await c.query(
                """
                INSERT INTO audit (at, actor, action, model, environment, promotion_id, detail, replica)
                VALUES (\(entry.at.timeIntervalSince1970), \(entry.actor), \(entry.action), \(entry.model), \(entry.environment),
                    \(entry.promotionID), \(entry.detail), \(entry.replica ?? self.replica))
                """, logger: self.logger)
        }
    }

    public func auditLog(model: String?, limit: Int) async throws -> [AuditEntry] {
        try await read("read audit log") { c in
            try await Self.all(try await c.query(
                "SELECT * FROM audit WHERE (\(model)::text IS NULL OR model = \(model)) ORDER BY id DESC LIMIT \(limit)", logger: self.logger),
                Self.auditEntry)
        }
    }

    public func auditLog(model: String?, since: Date, limit: Int) async throws -> [AuditEntry] {
        try await read("read audit log") { c in
            try await Self.all(try await c.query(
                """
                SELECT * FROM audit WHERE at >= \(since.timeIntervalSince1970) AND (\(model)::text IS NULL OR model = \(model))
                ORDER BY at DESC, id DESC LIMIT \(limit)
                """, logger: self.logger), Self.auditEntry)
        }
    }

    public func replaceDrift(_ findings: [DriftFinding], at: Date) async throws {
        try await transaction("replace drift") { c in
            _ = try await c.query("DELETE FROM drift", logger: self.logger)
            for f in findings {
                try await c.query(
                    """
                    INSERT INTO drift (model, environment, kind, expected, actual, action, detail, seen_at)
                    VALUES (\(f.model), \(f.environment), \(f.kind.rawValue), \(f.expected), \(f.actual), \(f.action.rawValue),
                        \(f.detail), \(at.timeIntervalSince1970))
                    """, logger: self.logger)
            }
            try await c.query("DELETE FROM reconciliation", logger: self.logger)
            try await c.query(
                "INSERT INTO reconciliation (at, findings) VALUES (\(at.timeIntervalSince1970), \(findings.count))", logger: self.logger)
        }
    }

    public func drift(model: String?) async throws -> [DriftRecord] {
        try await read("read drift") { c in
            try await Self.all(try await c.query(
                "SELECT * FROM drift WHERE (\(model)::text IS NULL OR model = \(model)) ORDER BY model, environment, id", logger: self.logger)
            ) { row -> DriftRecord? in
                guard let kind = DriftFinding.Kind(rawValue: try row.get("kind", as: String.self)),
                      let action = DriftFinding.Action(rawValue: try row.get("action", as: String.self))
                else { return nil }
                return DriftRecord(
                    finding: DriftFinding(
                        model: try row.get("model"), environment: try row.get("environment"), kind: kind, expected: try row.get("expected"),
                        actual: try row.get("actual"), action: action, detail: try row.get("detail")),
                    seenAt: Date(timeIntervalSince1970: try row.get("seen_at")))
            }.compactMap { $0 }
        }
    }

    public func proposal(model: String, version: String, environment: String) async throws -> Proposal? {
        try await read("read proposal") { c in
            try await Self.first(try await c.query(
                "SELECT * FROM proposal WHERE model = \(model) AND version = \(version) AND environment = \(environment)", logger: self.logger),
                Self.proposal)
        }
    }

    public func proposals(model: String?, environment: String?) async throws -> [Proposal] {
        try await read("read proposals") { c in
            try await Self.all(try await c.query(
                """
                SELECT * FROM proposal
                WHERE (\(model)::text IS NULL OR model = \(model)) AND (\(environment)::text IS NULL OR environment = \(environment))
                ORDER BY updated_at DESC
                """, logger: self.logger), Self.proposal)
        }
    }

    public func saveProposal(_ proposal: Proposal) async throws -> Proposal {
        let p = proposal
        return try await transaction("save proposal \(p.model)@\(p.version)/\(p.environment)") { c in
            let selected = try await Self.first(try await c.query(
                "SELECT * FROM proposal WHERE model = \(p.model) AND version = \(p.version) AND environment = \(p.environment) FOR UPDATE",
                logger: self.logger), Self.proposal)
            if let stored = selected {
                guard stored.state.canMove(to: p.state) else { return stored }
                let notice = (p.editNoticePosted || stored.editNoticePosted) ? 1 : 0
                try await c.query(
                    """
                    UPDATE proposal SET uri = \(p.uri), state = \(p.state.rawValue), commit_id = \(p.commit ?? stored.commit),
                        pr_number = \(p.pullRequestNumber ?? stored.pullRequestNumber), pr_url = \(p.pullRequestURL ?? stored.pullRequestURL),
                        promotion_id = \(p.promotionID ?? stored.promotionID), detail = \(p.detail), edit_notice = \(notice),
                        updated_at = \(p.updatedAt.timeIntervalSince1970)
                    WHERE model = \(p.model) AND version = \(p.version) AND environment = \(p.environment)
                    """, logger: self.logger)
            } else {
                try await c.query(
                    """
                    INSERT INTO proposal (model, version, environment, uri, state, commit_id, pr_number, pr_url, promotion_id,
                        detail, edit_notice, updated_at)
                    VALUES (\(p.model), \(p.version), \(p.environment), \(p.uri), \(p.state.rawValue), \(p.commit), \(p.pullRequestNumber),
                        \(p.pullRequestURL), \(p.promotionID), \(p.detail), \(p.editNoticePosted ? 1 : 0), \(p.updatedAt.timeIntervalSince1970))
                    """, logger: self.logger)
            }
            // When it first went live and was verified; a later save never moves either (see SQLiteStore+Stages).
            let at = p.updatedAt.timeIntervalSince1970
            try await c.query(
                """
                UPDATE proposal SET live_at = COALESCE(live_at, \(at))
                WHERE model = \(p.model) AND version = \(p.version) AND environment = \(p.environment) AND state IN ('live', 'verified')
                """, logger: self.logger)
            try await c.query(
                """
                UPDATE proposal SET verified_at = COALESCE(verified_at, \(at)), window_failing = NULL
                WHERE model = \(p.model) AND version = \(p.version) AND environment = \(p.environment) AND state = 'verified'
                """, logger: self.logger)
            return try await Self.first(try await c.query(
                "SELECT * FROM proposal WHERE model = \(p.model) AND version = \(p.version) AND environment = \(p.environment)",
                logger: self.logger), Self.proposal) ?? p
        }
    }

    public func saveVerification(_ progress: VerificationProgress, model: String, version: String, environment: String) async throws -> Bool {
        let since = progress.passingSince?.timeIntervalSince1970, sample = progress.lastSample?.timeIntervalSince1970
        let failing = progress.failing
        return try await transaction("save verification \(model)@\(version)/\(environment)") { c in
            try await Self.first(try await c.query(
                """
                UPDATE proposal SET window_since = \(since), window_sample = \(sample), window_failing = \(failing)
                WHERE model = \(model) AND version = \(version) AND environment = \(environment) AND state = 'live'
                RETURNING 1 AS written
                """, logger: self.logger)) { try $0.get("written", as: Int.self) } != nil
        }
    }

    public func beginAttempt(of id: String) async throws -> Int {
        try await transaction("count a start of \(id)") { c in
            try await Self.first(try await c.query(
                "UPDATE promotion SET attempts = attempts + 1 WHERE id = \(id) RETURNING attempts", logger: self.logger)) {
                try $0.get("attempts", as: Int.self)
            } ?? 0
        }
    }

    public func endAttempts(of id: String) async throws {
        try await transaction("reset the starts of \(id)") { c in
            _ = try await c.query("UPDATE promotion SET attempts = 0 WHERE id = \(id)", logger: self.logger)
        }
    }

    public func attempts(of id: String) async throws -> Int {
        try await read("read the starts of \(id)") { c in
            try await Self.first(try await c.query("SELECT attempts FROM promotion WHERE id = \(id)", logger: self.logger)) {
                try $0.get("attempts", as: Int.self)
            } ?? 0
        }
    }

    public func lastReconciliation() async throws -> Date? {
        try await read("read last reconciliation") { c in
            try await Self.first(try await c.query("SELECT MAX(at) AS at FROM reconciliation", logger: self.logger)) {
                try $0.get("at", as: Double?.self)
            }?.map { Date(timeIntervalSince1970: $0) }
        }
    }

    // MARK: - Mapping

    func promotion(_ id: String, _ c: PostgresConnection) async throws -> PromotionRecord? {
        try await promotions([id], c).first
    }

    /// The promotions `ids`, in that order, each with its steps (two queries for the lot).
    func promotions(_ ids: [String], _ c: PostgresConnection) async throws -> [PromotionRecord] {
        guard !ids.isEmpty else { return [] }
        var steps: [String: [PromotionStep]] = [:]
        for try await row in try await c.query(
            "SELECT * FROM promotion_step WHERE promotion_id = ANY(\(ids)) ORDER BY id", logger: self.logger)
        {
            let s = row.makeRandomAccess()
            steps[try s.get("promotion_id", as: String.self), default: []].append(PromotionStep(
                environment: try s.get("environment"), action: PromotionStep.Action(rawValue: try s.get("action", as: String.self)) ?? .failed,
                commit: try s.get("commit_id"), pullRequestNumber: try s.get("pr_number"), pullRequestURL: try s.get("pr_url"),
                detail: try s.get("detail"), at: Date(timeIntervalSince1970: try s.get("at"))))
        }
        var byID: [String: PromotionRecord] = [:]
        for try await row in try await c.query("SELECT * FROM promotion WHERE id = ANY(\(ids))", logger: self.logger) {
            let r = row.makeRandomAccess()
            let id: String = try r.get("id")
            let request = try JSONDecoder().decode(ReleaseRequest.self, from: Data(try r.get("request", as: String.self).utf8))
            byID[id] = PromotionRecord(
                id: id, request: request, origin: try r.get("origin"),
                state: PromotionState(rawValue: try r.get("state", as: String.self)) ?? .failed, detail: try r.get("detail"),
                createdAt: Date(timeIntervalSince1970: try r.get("created_at")), updatedAt: Date(timeIntervalSince1970: try r.get("updated_at")),
                steps: steps[id] ?? [])
        }
        return ids.compactMap { byID[$0] }
    }

    static func proposal(_ row: PostgresRandomAccessRow) throws -> Proposal {
        var proposal = Proposal(
            model: try row.get("model"), version: try row.get("version"), environment: try row.get("environment"), uri: try row.get("uri"),
            state: ProposalState(rawValue: try row.get("state", as: String.self)) ?? .failed, commit: try row.get("commit_id"),
            pullRequestNumber: try row.get("pr_number"), pullRequestURL: try row.get("pr_url"), promotionID: try row.get("promotion_id"),
            detail: try row.get("detail"), editNoticePosted: try row.get("edit_notice", as: Int.self) != 0,
            updatedAt: Date(timeIntervalSince1970: try row.get("updated_at")))
        func date(_ column: String) throws -> Date? { try row.get(column, as: Double?.self).map(Date.init(timeIntervalSince1970:)) }
        proposal.liveAt = try date("live_at")
        proposal.verifiedAt = try date("verified_at")
        let since = try date("window_since"), sample = try date("window_sample"), failing = try row.get("window_failing", as: String?.self)
        if since != nil || sample != nil || failing != nil {
            proposal.verification = VerificationProgress(passingSince: since, lastSample: sample, failing: failing)
        }
        return proposal
    }

    static func ledgerEntry(_ row: PostgresRandomAccessRow) throws -> LedgerEntry {
        LedgerEntry(
            model: try row.get("model"), environment: try row.get("environment"), version: try row.get("version"), uri: try row.get("uri"),
            metrics: try JSONDecoder().decode([String: Double].self, from: Data(try row.get("metrics", as: String.self).utf8)),
            status: LedgerEntry.Status(rawValue: try row.get("status", as: String.self)) ?? .withdrawn, commit: try row.get("commit_id"),
            pullRequestNumber: try row.get("pr_number"), pullRequestURL: try row.get("pr_url"), promotionID: try row.get("promotion_id"),
            recordedAt: Date(timeIntervalSince1970: try row.get("recorded_at")))
    }

    static func auditEntry(_ row: PostgresRandomAccessRow) throws -> AuditEntry {
        AuditEntry(
            at: Date(timeIntervalSince1970: try row.get("at")), actor: try row.get("actor"), action: try row.get("action"),
            model: try row.get("model"), environment: try row.get("environment"), promotionID: try row.get("promotion_id"),
            detail: try row.get("detail"), replica: try row.get("replica"))
    }
}
