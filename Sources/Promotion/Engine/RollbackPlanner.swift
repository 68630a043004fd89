/// Finds the version a rollback goes back to: from the ledger first, then from the provenance trailers in the
/// environment's git history (so a rollback works even when the state store was lost).
public struct RollbackPlanner: Sendable {
    /// The version to restore, with what is known of it.
    public struct Target: Sendable, Hashable {
        public var version: String
        public var uri: String
        public var metrics: [String: Double]
    }

    public let engine: PromotionEngine

    public init(engine: PromotionEngine) { self.engine = engine }

    /// The target for rolling `model` back in `environment`, to `version` or else to the one before the current.
    public func target(model: String, environment: String, version: String?) async throws -> Target {
        guard let env = engine.config.environment(named: environment) else {
            throw PromotionError(.notAllowed, "unknown environment '\(environment)' (configured: \(engine.config.environments.map(\.name).joined(separator: ", ")))")
        }
        var known = try await engine.store.ledgerHistory(model: model, environment: env.name).filter { $0.status == .live }
            .map { (version: $0.version, uri: $0.uri, metrics: $0.metrics) }
        if known.isEmpty || (version != nil && !known.contains { $0.version == version }) {
            known += try await fromHistory(model: model, env: env)
        }
        if let version {
            if let hit = known.first(where: { $0.version == version }) { return Target(version: hit.version, uri: hit.uri, metrics: hit.metrics) }
            for other in engine.config.environments where other.name != env.name {
                if let hit = try await engine.store.ledgerHistory(model: model, environment: other.name).first(where: { $0.version == version }) {
                    return Target(version: hit.version, uri: hit.uri, metrics: hit.metrics)
                }
            }
            throw PromotionError(.notAllowed, environment: env.name,
                "\(model) \(version) was never recorded in \(env.name) or git history; use 'promote release \(model) \(version) --uri URI --to \(env.name)'")
        }
        guard let current = known.first else {
            throw PromotionError(.notAllowed, environment: env.name, "nothing is recorded for \(model) in \(env.name); there is nothing to roll back")
        }
        guard let previous = known.first(where: { $0.version != current.version }) else {
            throw PromotionError(.notAllowed, environment: env.name, "\(model) has only ever run \(current.version) in \(env.name); name a version with --to")
        }
        return Target(version: previous.version, uri: previous.uri, metrics: previous.metrics)
    }

    /// Versions from the trailers of commits on the environment's branch, newest first.
    func fromHistory(model: String, env: EnvironmentSettings) async throws -> [(version: String, uri: String, metrics: [String: Double])] {
        let repo = try engine.repository(env.repository)
        try await repo.fetch()
        let path = engine.config.specPath(model: model, environment: env)
        return try await repo.history(of: env.repository.branch, touching: path, limit: 500).flatMap { commit in
            Provenance.parse(commitMessage: commit.message).filter { $0.model == model && $0.environment == env.name }
                .map { (version: $0.version, uri: $0.uri, metrics: [String: Double]()) }
        }
    }
}
