internal import Foundation
public import Logging
public import Promotion
public import ServiceLifecycle

/// The service's clocks: a jittered reconciliation every `service.reconcile.every` (one run at a time), and a poll
/// of open promotion pull requests every `service.poll.every` for forges whose webhooks are not configured.
public struct ScheduledTasks: Service {
    let engine: PromotionEngine
    let followUp: MergeFollowUp
    let workers: PromotionWorkers
    let logger: Logger
    /// With several replicas: the scheduled tasks run on the one replica that holds ``ReplicaLeases/schedule``.
    let leases: ReplicaLeases?

    public init(engine: PromotionEngine, followUp: MergeFollowUp, workers: PromotionWorkers, logger: Logger, leases: ReplicaLeases? = nil) {
        self.engine = engine
        self.leases = leases
        self.followUp = followUp
        self.workers = workers
        self.logger = logger
    }

    public func run() async throws {
        let service = engine.config.service
        await withTaskGroup(of: Void.self) { group in
            if let every = service.reconcileEvery {
                group.addTask { await repeating(every: every) { await reconcile() } }
            }
            let unheard = engine.config.environments.filter { $0.mode == .pullRequest && $0.forge.webhookSecretEnv == nil }
            if let every = service.pollEvery, !unheard.isEmpty {
                group.addTask { await repeating(every: every) { await onOneReplica { await poll(unheard) } } }
            }
            await group.waitForAll()
        }
    }

    /// Runs `body` every `seconds` (±10 %, so replicas and restarts spread out) until shutdown.
    func repeating(every seconds: Double, _ body: () async -> Void) async {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let jittered = seconds * Double.random(in: 0.9...1.1)
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(Int(jittered * 1000))) } } catch { return }
            if Task.isShuttingDownGracefully { return }
            await body()
        }
    }

    /// Runs `task` here if this replica takes the schedule's lease; else another replica runs it this time.
    func onOneReplica(_ task: @escaping @Sendable () async -> Void) async {
        guard let leases else { return await task() }
        if await leases.withLeases([ReplicaLeases.schedule], task) == nil {
            logger.debug("a scheduled task runs on another replica this time")
        }
    }

    /// One reconciliation (its findings are kept by the store, where `/metrics` reads them): a CDEvent per finding,
    /// and merges it recorded followed up.
    public func reconcile() async {
        do {
            // Not while a promotion runs: it could change the ledger and a pull request between the reconciler's reads,
            // and the reconciler would "repair" the newer proposal back to the one it read first.
            // The reconciler may push repairs: with several replicas it holds the schedule's lease and every
            // repository's, as a lane would, and runs on one replica at a time.
            let reconciler = Reconciler(engine: engine, registry: followUp.registry)
            let leases = [ReplicaLeases.schedule] + engine.config.environments.map(\.repository.url)
            guard let report = try await workers.exclusively(holding: leases, { try await reconciler.reconcile() }) else {
                logger.debug("the reconciliation runs on another replica this time")
                return
            }
            for failure in report.failures {
                logger.warning(
                    "could not reconcile",
                    metadata: ["model": "\(failure.model ?? "*")", "environment": "\(failure.environment)", "error": "\(failure.message)"])
            }
            try await followUp.reconciled(report.findings)
            logger.info("reconciled", metadata: ["findings": "\(report.findings.count)", "failures": "\(report.failures.count)"])
        } catch {
            logger.warning("reconciliation failed", metadata: ["error": "\(error)"])
        }
    }

    /// Asks the forge about every pull request the ledger waits for, in environments without webhooks.
    func poll(_ environments: [EnvironmentSettings]) async {
        for env in environments {
            do {
                let waiting = try await engine.store.ledger(model: nil, environment: env.name).filter { $0.status == .proposed }
                for number in Set(waiting.compactMap(\.pullRequestNumber)).sorted() {
                    _ = try await followUp.pullRequestChanged(number: number, in: [env])
                }
            } catch {
                logger.warning("polling pull requests failed", metadata: ["environment": "\(env.name)", "error": "\(error)"])
            }
        }
    }
}
