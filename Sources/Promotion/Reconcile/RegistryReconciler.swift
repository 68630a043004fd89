/// The registry side of drift: for models that came from MLflow, every alias mapped in `service.mlflow.aliases`
/// should point at what the ledger wants in its environment (the open proposal, else the live version). An alias
/// moved while nobody listened (a missed webhook) is `pr-outdated`: repaired, where policy allows, by proposing the
/// alias's version exactly as the alias webhook would have. An alias moved back to an older version is reported
/// only: going back is `promote rollback`'s decision.
public struct RegistryReconciler: Sendable {
    public let engine: PromotionEngine
    public let registry: any ModelRegistry

    public init(engine: PromotionEngine, registry: any ModelRegistry) {
        self.engine = engine
        self.registry = registry
    }

    /// One pass, adding to `report`; with `dryRun`, nothing is written. A model whose alias cannot be read or
    /// followed becomes a failure of that environment; the others go on.
    public func run(dryRun: Bool = false, into report: inout ReconcileReport) async throws {
        guard let mlflow = engine.config.service.mlflow, !mlflow.aliases.isEmpty else { return }
        let fromRegistry = Set(try await engine.store.promotions(model: nil, limit: 100_000).filter { $0.origin == "mlflow" }.map(\.request.model))
        guard !fromRegistry.isEmpty else { return }
        let ledger = try await engine.store.ledger(model: nil, environment: nil)
        for (alias, environment) in mlflow.aliases.sorted(by: { $0.key < $1.key }) {
            guard let env = engine.config.environment(named: environment) else { continue }
            for model in fromRegistry.sorted() {
                do {
                    guard let aliased = try await registry.version(model: model, alias: alias) else { continue }
                    let entries = ledger.filter { $0.model == model && $0.environment == environment }
                    let wanted = entries.first { $0.status == .proposed } ?? entries.first { $0.status == .live }
                    guard wanted?.version != aliased else { continue }
                    report.findings.append(try await repair(
                        model: model, alias: alias, aliased: aliased, wanted: wanted, env: env, settings: mlflow, dryRun: dryRun))
                } catch {
                    report.failures.append(ReconcileFailure(model: model, environment: environment, error: error))
                }
            }
        }
    }

    func repair(
        model: String, alias: String, aliased: String, wanted: LedgerEntry?, env: EnvironmentSettings, settings: ServiceSettings.MLflow,
        dryRun: Bool
    ) async throws -> DriftFinding {
        var finding = DriftFinding(
            model: model, environment: env.name, kind: .pullRequestOutdated, expected: aliased, actual: wanted?.version ?? "nothing",
            action: dryRun ? .none : (env.drift == .report ? .reported : .repaired), detail: "MLflow alias '\(alias)' points at \(aliased)")
        if let wanted, VersionOrder.isOlder(aliased, than: wanted.version) {
            finding.action = dryRun ? .none : .reported
            finding.detail = "MLflow alias '\(alias)' moved back to \(aliased); to go back, run: promote rollback \(model) --env \(env.name) --to \(aliased)"
            return finding
        }
        guard finding.action == .repaired else { return finding }
        let version = try await registry.resolve(model: model, version: aliased)
        let request = try ReleaseRequest.validated(
            model: model, version: aliased, uri: version.uri, metrics: version.metrics,
            source: .init(runURL: version.runURL, pipeline: "mlflow"), idempotencyKey: "mlflow:\(model)@\(aliased)#\(alias)",
            environments: [env.name], skipStagesReason: "MLflow alias '\(alias)' points at \(aliased)")
        let report = try await engine.release(request, options: PromotionOptions(origin: "reconcile"))
        finding.detail = "MLflow alias '\(alias)' points at \(aliased): \(report.record.state.rawValue)"
            + (report.record.steps.last?.pullRequestURL.map { " in \($0)" } ?? "")
        return finding
    }
}
