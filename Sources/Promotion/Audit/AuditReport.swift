public import Foundation

/// What `promote audit --json` prints and `GET /v1/audit` answers (DESIGN.md section 4):
/// `{"entries": [{"at", "actor", "action", "model", "environment", "version", "detail"}]}`, newest first.
public struct AuditReport: Sendable, Hashable, Codable {
    /// One action.
    public struct Entry: Sendable, Hashable, Codable {
        public var at: Date
        /// Who: the CLI user (`user@host` or `--actor`), the API token's name, the forge login that merged or closed
        /// a pull request, or `reconciler`/`service` for what Promote did on its own.
        public var actor: String
        public var action: String
        public var model: String?
        public var environment: String?
        /// The version the action concerned, when known.
        public var version: String?
        public var detail: String
        /// The `promote serve` replica that wrote it (nil: a CLI command).
        public var replica: String?

        public init(
            at: Date, actor: String, action: String, model: String?, environment: String?, version: String?, detail: String,
            replica: String? = nil
        ) {
            self.at = at
            self.actor = actor
            self.action = action
            self.model = model
            self.environment = environment
            self.version = version
            self.detail = detail
            self.replica = replica
        }

        /// Every key is written, `null` when unknown (the contract lists them all).
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(at, forKey: .at)
            try c.encode(actor, forKey: .actor)
            try c.encode(action, forKey: .action)
            try c.encode(model, forKey: .model)
            try c.encode(environment, forKey: .environment)
            try c.encode(version, forKey: .version)
            try c.encode(detail, forKey: .detail)
            try c.encode(replica, forKey: .replica)
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// The shared JSON encoding (``ReportEncoding``).
    public func json() throws -> Data { try ReportEncoding.encoder().encode(self) }

    /// The report for `entries` (newest first), with each entry's version taken from its promotion.
    public static func make(_ entries: [AuditEntry], versions: [String: String]) -> AuditReport {
        AuditReport(entries: entries.map { e in
            Entry(
                at: e.at, actor: e.actor, action: e.action, model: e.model, environment: e.environment,
                version: e.promotionID.flatMap { versions[$0] }, detail: e.detail, replica: e.replica)
        })
    }
}

/// Reads the audit log for a report: the entries from the store, and the version of each promotion they name.
public struct AuditReader: Sendable {
    public let store: any PromotionStore

    public init(store: any PromotionStore) { self.store = store }

    /// Entries of `model` (or every model) since `since` (or ever), newest first, at most `limit`.
    public func report(model: String?, since: Date?, limit: Int = 10_000) async throws -> AuditReport {
        let entries = try await store.auditLog(model: model, since: since ?? Date(timeIntervalSince1970: 0), limit: limit)
        var versions: [String: String] = [:]
        for id in Set(entries.compactMap(\.promotionID)) {
            if let record = try await store.promotion(id: id) { versions[id] = record.request.version }
        }
        return AuditReport.make(entries, versions: versions)
    }
}
