internal import Foundation
public import Logging
public import Promotion
public import ServiceLifecycle

/// `promote serve`'s part of the stages (DESIGN.md 1a): runs ``PromotionEngine/advance(model:dryRun:origin:)`` on a
/// clock (the shortest `verify.every` of any environment, else `service.poll.every`, else a minute) and whenever
/// something that can change a state happened (a merge or close heard by webhook or poll, a promotion finished):
/// merges recorded, `verify` windows sampled, verified versions carried on. One pass at a time, never while a
/// promotion runs (the same exclusion as the reconciler's), and with several replicas on the one that holds the
/// schedule's lease and every repository's (DESIGN.md 8).
public final class StageSchedule: Service, Sendable {
    let engine: PromotionEngine
    let workers: PromotionWorkers
    let logger: Logger
    /// Tells the registry and the CDEvent sinks when a version is verified.
    let followUp: MergeFollowUp?
    private let kicks: AsyncStream<Void>
    private let kickSink: AsyncStream<Void>.Continuation

    public init(
        engine: PromotionEngine, workers: PromotionWorkers, followUp: MergeFollowUp? = nil, logger: Logger
    ) {
        self.engine = engine
        self.followUp = followUp
        self.workers = workers
        self.logger = logger
        (kicks, kickSink) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a pass soon (coalesced: many kicks while a pass runs make one more pass).
    public func kick() { kickSink.yield() }

    /// Seconds between passes when nothing kicks.
    public var period: Double {
        let windows = engine.config.environments.compactMap(\.verify).map { VerificationWindow.seconds($0.every) }
        return max(1, windows.min() ?? engine.config.service.pollEvery ?? 60)
    }

    public func run() async throws {
        let hasStages = engine.config.environments.contains { $0.stage.from != nil || $0.verify != nil }
        guard hasStages else { return }
        let ticker = Task { [kickSink, period] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(Int(period * 1000)))
                kickSink.yield()
            }
        }
        defer { ticker.cancel() }
        kickSink.yield()
        await withGracefulShutdownHandler {
            for await _ in kicks {
                if Task.isShuttingDownGracefully { break }
                _ = await pass(holding: [ReplicaLeases.schedule] + engine.config.environments.map(\.repository.url))
            }
        } onGracefulShutdown: { [kickSink] in
            kickSink.finish()
        }
    }

    /// One pass holding the leases `names` when there are several replicas: its report, or nil when it failed
    /// (logged) or another replica holds one of the leases.
    func pass(model: String? = nil, origin: String = "advance", holding names: [String]) async -> AdvanceReport? {
        do {
            let engine = self.engine
            guard let report = try await workers.exclusively(holding: names, { try await engine.advance(model: model, origin: origin) }) else {
                logger.debug("the stages' pass runs on another replica this time")
                return nil
            }
            if let followUp { await followUp.advanced(report) }
            for entry in report.entries {
                logger.info(
                    "stage \(entry.action.rawValue)",
                    metadata: [
                        "model": "\(entry.model)", "version": "\(entry.version)", "environment": "\(entry.environment)",
                        "detail": "\(entry.detail)",
                    ])
            }
            return report
        } catch {
            logger.warning("advance failed", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
