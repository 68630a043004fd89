internal import Foundation
public import Logging
public import Promotion

/// What happens once the service learns that a promotion pull request was merged or closed (forge webhook,
/// polling or a scheduled reconciliation): the ledger and the promotion are updated through the engine's
/// reconciler, the bot's branch is deleted, CDEvents go out, and the MLflow version hears back (its environment's
/// alias and `promote.*` tags), closing the loop. Every step is idempotent: a second delivery changes nothing.
public struct MergeFollowUp: Sendable {
    let engine: PromotionEngine
    let registry: (any ModelRegistry)?
    let sink: CDEventSink
    let logger: Logger
    /// Called after a merge or a close was recorded (`promote serve` runs an advance pass then).
    public var stateChanged: @Sendable () -> Void = {}

    public init(engine: PromotionEngine, registry: (any ModelRegistry)?, sink: CDEventSink, logger: Logger) {
        self.engine = engine
        self.registry = registry
        self.sink = sink
        self.logger = logger
    }

    /// The outcome of one pull-request notification.
    public enum Outcome: String, Sendable {
        case recorded, alreadyRecorded = "already-recorded", closed, ignored
    }

    /// Handles a notification that pull request `number` of `environments`' forge changed state. The forge is asked
    /// for the pull request's real state: a webhook payload is never trusted beyond naming it.
    /// `actor` is who merged or closed it, as the webhook says (nil: polling, or the payload does not say; the
    /// audit log then records who the forge says merged or closed it, else `webhook`).
    public func pullRequestChanged(number: Int, in environments: [EnvironmentSettings], actor: String? = nil) async throws -> (Outcome, String) {
        for env in environments where env.mode == .pullRequest {
            let entries = try await engine.store.ledger(model: nil, environment: env.name)
            if let live = entries.first(where: { $0.status == .live && $0.pullRequestNumber == number }) {
                return (.alreadyRecorded, "\(live.model) \(live.version) is already recorded as live in \(env.name)")
            }
            guard let proposed = entries.first(where: { $0.status == .proposed && $0.pullRequestNumber == number }) else { continue }
            let forge = try engine.forge(env)
            let pr = try await forge.pullRequest(number: number)
            switch pr.state {
            case .merged:
                let live = try await Reconciler(engine: engine).recordMerge(
                    model: proposed.model, env: env, proposed: proposed, pullRequest: pr, forge: forge, actor: actor ?? pr.closedByLogin ?? "webhook")
                logger.info(
                    "merge recorded",
                    metadata: [
                        "model": "\(proposed.model)", "version": "\(live.version)", "environment": "\(env.name)",
                        "pull_request": "\(pr.url)", "promotion": "\(proposed.promotionID ?? "")",
                    ])
                await landed(live, in: env)
                stateChanged()
                return (.recorded, "\(proposed.model) \(live.version) is live in \(env.name)")
            case .closed:
                try await Reconciler(engine: engine).recordRejection(model: proposed.model, env: env, proposed: proposed, pullRequest: pr)
                try await engine.store.audit(AuditEntry(
                    at: engine.now(), actor: actor ?? pr.closedByLogin ?? "webhook", action: "closed", model: proposed.model, environment: env.name,
                    promotionID: proposed.promotionID, detail: "\(pr.url) closed without merge"))
                return (.closed, "\(pr.url) was closed without merge: \(proposed.version) is rejected there (reported as pr-closed, never re-opened)")
            case .open:
                return (.ignored, "\(pr.url) is open")
            }
        }
        return (.ignored, "pull request #\(number) is not a promotion the ledger is waiting for")
    }

    /// What follows a reconciliation that was not a dry run (`promote reconcile` and the service's schedule): a
    /// CDEvent per finding, and every merge it recorded followed up as a webhook's would be.
    public func reconciled(_ findings: [DriftFinding]) async throws {
        for finding in findings {
            guard let env = engine.config.environment(named: finding.environment) else { continue }
            sink.emit([OutgoingCDEvent.drift(finding, repositoryURL: env.repository.url, source: eventSource, time: engine.now())])
            if finding.kind == .mergeUnrecorded, finding.action == .repaired,
                let live = try await engine.store.ledger(model: finding.model, environment: env.name).first(where: { $0.status == .live })
            {
                await landed(live, in: env)
            }
        }
    }

    /// A version became live in `env`: CDEvents, then the registry's alias and tags. With `verify` checks there,
    /// `service.deployed` and the registry wait for ``verified(model:version:in:)`` (unless `writeBack: live`).
    public func landed(_ entry: LedgerEntry, in env: EnvironmentSettings) async {
        var events = OutgoingCDEvent.landed(entry, repositoryURL: env.repository.url, source: eventSource, time: engine.now())
        if env.verify != nil { events.removeAll { $0.type.hasPrefix("dev.cdevents.service.deployed.") } }
        sink.emit(events)
        if env.verify == nil || engine.config.service.mlflow?.writeBack == .live { await tellRegistry(entry) }
    }

    /// What an advance pass changed, told onwards: merges it recorded (as a webhook's would be), the checks' results
    /// when they changed, versions verified.
    public func advanced(_ report: AdvanceReport) async {
        for entry in report.entries {
            guard let env = engine.config.environment(named: entry.environment) else { continue }
            if let checks = entry.checks {
                sink.emit(checks.map {
                    OutgoingCDEvent.checkResult(
                        $0, model: entry.model, version: entry.version, environment: env.name, repositoryURL: env.repository.url,
                        source: eventSource, time: engine.now())
                })
            }
            switch entry.action {
            case .merged:
                if let live = try? await engine.store.ledger(model: entry.model, environment: env.name).first(where: { $0.status == .live }) {
                    await landed(live, in: env)
                }
            case .verified:
                await verified(model: entry.model, version: entry.version, in: env)
            default:
                break
            }
        }
    }

    /// The live version of `model` in `env` passed its `verify` window: `service.deployed` and `environment.modified`,
    /// then the registry's alias and tags (unless they were written when it went live, `writeBack: live`).
    public func verified(model: String, version: String, in env: EnvironmentSettings) async {
        guard let entry = try? await engine.store.ledger(model: model, environment: env.name).first(where: { $0.status == .live }),
            entry.version == version
        else { return }
        sink.emit(OutgoingCDEvent.landed(entry, repositoryURL: env.repository.url, source: eventSource, time: engine.now()))
        if engine.config.service.mlflow?.writeBack != .live { await tellRegistry(entry, status: "verified") }
    }

    /// `/promote/<config file name>`: the CDEvents `source` of this instance.
    var eventSource: String {
        "/promote/" + ((engine.config.file as NSString).lastPathComponent as String)
    }

    /// Points the environment's MLflow alias at the version (unless a newer version holds it already) and tags it.
    func tellRegistry(_ entry: LedgerEntry, status: String = "live") async {
        guard let registry, let mlflow = engine.config.service.mlflow else { return }
        let tags = [
            "promote.\(entry.environment).status": status,
            "promote.\(entry.environment).commit": entry.commit ?? "",
            "promote.\(entry.environment).pull_request": entry.pullRequestURL ?? "",
        ].filter { !$0.value.isEmpty }
        do {
            try await registry.setTags(tags, model: entry.model, version: entry.version)
            for alias in mlflow.aliases.filter({ $0.value == entry.environment }).keys.sorted() {
                let current = try await registry.version(model: entry.model, alias: alias)
                if let current, current != entry.version, VersionOrder.isOlder(entry.version, than: current) { continue }
                if current != entry.version { try await registry.setAlias(alias, model: entry.model, version: entry.version) }
            }
            logger.info(
                "registry updated",
                metadata: ["model": "\(entry.model)", "version": "\(entry.version)", "environment": "\(entry.environment)", "tags": "\(tags.count)"])
            try await engine.store.audit(AuditEntry(
                at: engine.now(), actor: "service", action: "registry-updated", model: entry.model, environment: entry.environment,
                promotionID: entry.promotionID, detail: "MLflow \(entry.model) v\(entry.version) tagged live in \(entry.environment)"))
        } catch let error as RegistryError where error.kind == .notFound {
            // Not an MLflow model (it came from CI): nothing to tell.
        } catch {
            logger.warning("could not update MLflow", metadata: ["model": "\(entry.model)", "error": "\(error)"])
        }
    }
}
