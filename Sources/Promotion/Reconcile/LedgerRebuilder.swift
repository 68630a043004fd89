/// Rebuilds the ledger from the repository alone: the provenance trailers of the commits on each environment's
/// branch say which version of which model every environment runs. Used when the state store was lost, or to
/// adopt a repository Promote has been writing to from elsewhere.
public struct LedgerRebuilder: Sendable {
    public let engine: PromotionEngine

    public init(engine: PromotionEngine) { self.engine = engine }

    /// The live entries the history shows (newest commit per model and environment; the earlier ones are written as
    /// history where the store has none for that model and environment), written to the store unless
    /// the store already says the same. `limit` bounds the commits read per branch.
    @discardableResult
    public func rebuild(limit: Int = 10_000, write: Bool = true) async throws -> [LedgerEntry] {
        var found: [LedgerEntry] = []
        /// Older versions the trailers show, newest first: the history rollback and drift checks read.
        var earlier: [LedgerEntry] = []
        var fetched = Set<String>()
        for env in engine.config.environments {
            let repo = try engine.repository(env.repository)
            if fetched.insert(env.repository.url).inserted { try await repo.fetch() }
            var seen = Set<String>()
            for commit in try await repo.history(of: env.repository.branch, touching: nil, limit: limit) {
                for provenance in Provenance.parse(commitMessage: commit.message) where provenance.environment == env.name {
                    // Only trailers consistent with the change the commit carries are facts.
                    guard try await trusts(provenance, commit: commit.id, in: repo) else { continue }
                    let entry = LedgerEntry(
                        model: provenance.model, environment: env.name, version: provenance.version, uri: provenance.uri,
                        status: .live, commit: commit.id, promotionID: provenance.event, recordedAt: commit.time)
                    if seen.insert(provenance.model).inserted { found.append(entry) } else { earlier.append(entry) }
                }
            }
        }
        guard write else { return found }
        let current = try await engine.store.ledger(model: nil, environment: nil)
        // The history first, oldest first, where the store has none for that model and environment.
        for entry in earlier.reversed() where !current.contains(where: { $0.model == entry.model && $0.environment == entry.environment }) {
            try await engine.store.record(entry)
        }
        for entry in found where !current.contains(where: {
            $0.model == entry.model && $0.environment == entry.environment && $0.status == .live && $0.version == entry.version && $0.uri == entry.uri
        }) {
            try await engine.store.record(entry)
        }
        return found
    }

    /// Reads the spec the trailers name at the commit and at its first parent, and asks ``TrailerTrust``.
    func trusts(_ provenance: Provenance, commit: String, in repo: any GitOpsRepository) async throws -> Bool {
        guard let env = engine.config.environment(named: provenance.environment), let snapshot = try await repo.snapshot(commit: commit) else {
            return false
        }
        let path = engine.config.specPath(model: provenance.model, environment: env)
        let before = try snapshot.parent()?.entry(at: path) ?? .missing
        return TrailerTrust.problem(
            with: provenance, config: engine.config, specAtCommit: try snapshot.entry(at: path), specBeforeCommit: before) == nil
    }
}
