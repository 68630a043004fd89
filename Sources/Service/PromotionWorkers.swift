internal import Foundation
public import Logging
public import Promotion
public import ServiceLifecycle
internal import Synchronization

/// Drains the queue of admitted promotions: one repository at a time (a *lane* is the set of repositories a
/// promotion writes to; lanes that share a repository wait for each other), other lanes in parallel. Promotions of
/// the same model and environments that queued up while their lane was busy are coalesced: only the newest version
/// runs, the older ones become `superseded`.
///
/// The queue is the store: a restart (even after `kill -9`) finds every promotion still `queued`, and puts those
/// left `running` back in the queue; the engine's steps are idempotent, so re-running one makes no second commit
/// or pull request. Graceful shutdown stops taking work and lets running promotions finish.
///
/// With ``ReplicaLeases`` (several replicas on one database, DESIGN.md 8), a lane is drained only while this replica
/// holds the lease of every repository in it; a promotion found `running` in a lane whose leases this replica
/// just took was left by a replica that died or lost its lease, and is put back in the queue (or quarantined) then.
public final class PromotionWorkers: Service, Sendable {
    let engine: PromotionEngine
    let logger: Logger
    let metrics: ServiceMetrics
    /// How often the queue is looked at when nobody wakes the workers (a safety net; intake wakes them).
    let idlePoll: Duration
    private let lanes: LaneTable
    private let wakeups: AsyncStream<Void>
    private let wakeupSink: AsyncStream<Void>.Continuation

    /// How transient failures are retried.
    let retry: RetryPolicy
    /// The leases lanes are drained under (nil: this process is the only writer, as in tests of the engine).
    let leases: ReplicaLeases?

    public init(
        engine: PromotionEngine, metrics: ServiceMetrics, logger: Logger, idlePoll: Duration = .seconds(5),
        retry: RetryPolicy = RetryPolicy(), leases: ReplicaLeases? = nil
    ) {
        self.engine = engine
        self.leases = leases
        self.retry = retry
        self.metrics = metrics
        self.logger = logger
        self.idlePoll = idlePoll
        lanes = LaneTable(maxRunning: engine.config.service.maxLanes)
        (wakeups, wakeupSink) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Tells the workers there is new work (called after an event is admitted).
    public func wake() { wakeupSink.yield() }

    /// Wakes the workers in two seconds: a lane another replica held may be free by then (before the idle poll).
    func wakeSoon() {
        Task { [wakeupSink] in
            try? await Task.sleep(for: .seconds(2))
            wakeupSink.yield()
        }
    }

    /// Called after every promotion run, however it ended (`promote serve` runs an advance pass then).
    private let onFinished = Mutex<@Sendable () -> Void>({})
    public var finished: @Sendable () -> Void {
        get { onFinished.withLock { $0 } }
        set { onFinished.withLock { $0 = newValue } }
    }

    /// True while the workers take new work (`/readyz`).
    public var isAccepting: Bool { get async { await !lanes.isDraining } }

    public func run() async throws {
        // Under leases, orphans are found lane by lane by the replica that takes the lane's leases (``drain(_:)``).
        if let leases { try await leases.startUp() } else { try await resumeInterrupted() }
        let ticker = Task { [wakeupSink, idlePoll] in
            while !Task.isCancelled {
                try? await Task.sleep(for: idlePoll)
                wakeupSink.yield()
            }
        }
        defer { ticker.cancel() }
        await withGracefulShutdownHandler {
            wakeupSink.yield()
            for await _ in wakeups {
                if Task.isShuttingDownGracefully || Task.isCancelled { break }
                await dispatch()
            }
        } onGracefulShutdown: { [wakeupSink] in
            wakeupSink.finish()
        }
        await lanes.drainAndWait()
    }

    /// Promotions a previous process left `running` go back to the queue, except one whose run was interrupted
    /// ``quarantineAfter`` times: it is what kills the worker (a poison pill), so it is `failed` with that reason
    /// instead of killing the service again on every restart.
    func resumeInterrupted() async throws {
        for record in try await engine.store.promotions(in: [.running], limit: 100_000) { try await resume(record) }
    }

    /// Puts one promotion left `running` back in the queue, or quarantines it (``resumeInterrupted()``).
    func resume(_ record: PromotionRecord) async throws {
        let starts = try await engine.store.attempts(of: record.id)
        if starts >= Self.quarantineAfter {
            let reason = "quarantined: its run was interrupted \(starts) times (the worker crashed or was killed while running it)"
            try await engine.store.setState(.failed, detail: reason, of: record.id, now: engine.now())
            try await engine.store.endAttempts(of: record.id)
            try await engine.store.audit(AuditEntry(
                at: engine.now(), actor: "service", action: "quarantined", model: record.request.model, promotionID: record.id,
                detail: reason))
            logger.error("promotion quarantined", metadata: ["promotion": "\(record.id)", "starts": "\(starts)"])
            return
        }
        try await engine.store.setState(.queued, detail: "resumed after a restart", of: record.id, now: engine.now())
        logger.info("resuming promotion interrupted by a restart", metadata: ["promotion": "\(record.id)"])
    }

    /// How many interrupted runs make a promotion a poison pill.
    static let quarantineAfter = 2

    /// Starts a drain task for every lane with queued work that is not already being drained.
    func dispatch() async {
        let queued: [PromotionRecord]
        do { queued = try await engine.store.promotions(in: leases == nil ? [.queued] : [.queued, .running], limit: 100_000) } catch {
            logger.error("cannot read the queue: the state store is unreachable; nothing is written until it is back", metadata: ["error": "\(error)"])
            return
        }
        for lane in Set(queued.map(lane(of:))) {
            await lanes.start(lane) { [self] in
                guard let leases else { return await self.drain(lane) }
                let repositories = lane.split(separator: " ").map(String.init)
                // Another replica holds the lane: look again soon.
                if await leases.withLeases(repositories, { await self.drain(lane) }) == nil { self.wakeSoon() }
            }
        }
    }

    /// Runs a lane's queued promotions until none is left.
    func drain(_ lane: String) async {
        var attempted = Set<String>()
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            var batch: [PromotionRecord]
            do {
                if leases != nil {
                    // Holding the lane's leases: a promotion `running` in it was left by a replica that is gone.
                    for orphan in try await engine.store.promotions(in: [.running], limit: 100_000) where self.lane(of: orphan) == lane {
                        try await resume(orphan)
                    }
                }
                batch = try await engine.store.promotions(in: [.queued], limit: 100_000).filter { self.lane(of: $0) == lane }
                if let leases, !batch.isEmpty {
                    // The inbox row by row: what another transaction holds (a re-admission) is left for the next round.
                    let claimed = try await leases.claim(batch.map(\.id))
                    batch = batch.filter { claimed.contains($0.id) }
                }
            } catch {
                logger.error("cannot read the queue", metadata: ["error": "\(error)"])
                return
            }
            // Nothing new, or only promotions that a failing store left queued: wait for the next wake-up.
            if batch.allSatisfy({ attempted.contains($0.id) }) { return }
            attempted.formUnion(batch.map(\.id))
            let plan = QueueCoalescer.coalesce(batch)
            for (older, newer) in plan.superseded {
                await supersede(older, by: newer)
            }
            // One commit per push environment carries every model's change; then each promotion runs on its own
            // (finding its push environments done) for its pull requests. A batch that fails leaves them to run alone.
            let pushed = await pushTogether(plan.runnable)
            for record in plan.runnable {
                await run((try? await engine.store.promotion(id: record.id)) ?? record, pushedTogether: pushed[record.id] ?? [])
                if Task.isShuttingDownGracefully || Task.isCancelled { return }
            }
        }
    }

    /// One commit per push environment for `records` (``PromotionEngine/pushTogether(_:)``): a transient failure (a
    /// dropped connection, a stale push) is tried again twice, after the service's backoff, before the batch is given
    /// up and its promotions run one by one. Returns the push environments done per promotion.
    func pushTogether(_ records: [PromotionRecord]) async -> [String: Set<String>] {
        let attempts = 3
        for attempt in 1...attempts {
            do {
                return try await engine.pushTogether(records)
            } catch {
                guard attempt < attempts, isTransientFailure(error) else {
                    logger.info("batch push failed; the promotions run one by one", metadata: ["error": "\(error)"])
                    return [:]
                }
                logger.notice("batch push failed, trying again", metadata: ["error": "\(error)", "attempt": "\(attempt)"])
                try? await Task.sleep(for: retry.delay(after: attempt))
            }
        }
        return [:]
    }

    func supersede(_ record: PromotionRecord, by newer: PromotionRecord) async {
        do {
            try await engine.store.setState(
                .superseded, detail: "superseded by \(newer.request.version) (\(newer.id)) before it ran", of: record.id, now: engine.now())
            try await engine.store.audit(AuditEntry(
                at: engine.now(), actor: "service", action: "superseded", model: record.request.model, promotionID: record.id,
                detail: "coalesced into \(newer.id) (\(newer.request.version))"))
        } catch {
            logger.error("cannot mark a promotion superseded", metadata: ["promotion": "\(record.id)", "error": "\(error)"])
        }
    }

    /// Runs one promotion. A transient failure (5xx, 429, timeouts, a refused connection, a stale push) is retried
    /// here with bounded, jittered backoff while the promotion stays queued and its proposals where they were;
    /// when the retries are spent, or the failure is permanent, it is `failed` with the reason (sending the request
    /// again decides it again). Its starts are counted before it runs (``resumeInterrupted()``).
    func run(_ record: PromotionRecord, pushedTogether: Set<String> = []) async {
        var logger = logger
        logger[metadataKey: "promotion"] = "\(record.id)"
        logger[metadataKey: "model"] = "\(record.request.model)"
        logger[metadataKey: "version"] = "\(record.request.version)"
        var current = record
        var attempt = 0
        while true {
            attempt += 1
            do {
                _ = try await engine.store.beginAttempt(of: current.id)
                var options = PromotionOptions(
                    force: current.request.isRollback, isRollback: current.request.isRollback, origin: current.origin)
                options.pushedTogether = pushedTogether
                // Lines the adapters log while it runs (git, forge) carry the promotion's id.
                let report = try await LogContext.$promotionID.withValue(current.id) {
                    try await engine.run(current, created: true, options: options)
                }
                try? await engine.store.endAttempts(of: current.id)
                logger.info("promotion ran", metadata: ["state": "\(report.record.state.rawValue)"])
                finished()
                return
            } catch let error as LeaseLost {
                // Another replica holds the lane now: it finds this promotion `running` and takes it over.
                logger.warning("lease lost while running; the new holder takes the promotion over", metadata: ["error": "\(error)"])
                return
            } catch {
                try? await engine.store.endAttempts(of: current.id)
                guard isTransientFailure(error), !Task.isShuttingDownGracefully, !Task.isCancelled else {
                    // The engine has recorded a permanent failure on the promotion.
                    logger.warning("promotion failed", metadata: ["error": "\(error)"])
                    return
                }
                guard attempt < retry.attempts else {
                    let reason = "gave up after \(attempt) attempts: \(error)"
                    try? await engine.store.setState(.failed, detail: reason, of: current.id, now: engine.now())
                    logger.error("promotion failed after its retries", metadata: ["error": "\(error)"])
                    return
                }
                let delay = retry.delay(after: attempt)
                metrics.countPromotionRetry(reason: error is ForgeFailure ? "forge" : "repository")
                logger.info("transient failure; retrying", metadata: ["error": "\(error)", "attempt": "\(attempt)", "in": "\(delay)"])
                try? await Task.sleep(for: delay)
                // It may have been superseded, or finished by a webhook, meanwhile.
                guard let fresh = try? await engine.store.promotion(id: current.id), fresh.state == .queued else { return }
                current = fresh
            }
        }
    }

    /// Runs `body` while no promotion of this replica runs (see ``LaneTable/exclusively(_:)``) and, with several
    /// replicas, while this replica holds the leases `names` as well: the reconciliation and the stages' passes. The
    /// leases are taken inside the exclusion and given up before it ends, so a lane held back starts at once
    /// afterwards instead of finding its repository's lease still taken. Nil when another replica holds one of them.
    public func exclusively<T: Sendable>(holding names: [String] = [], _ body: @escaping @Sendable () async throws -> T) async throws -> T? {
        try await lanes.exclusively {
            guard let leases, !names.isEmpty else { return try await body() }
            return try await leases.withLeases(names, throwing: body)
        }
    }

    /// The repositories a promotion writes to, as one key.
    func lane(of record: PromotionRecord) -> String {
        let targets = (try? engine.targets(for: record.request)) ?? []
        return Set(targets.map(\.repository.url)).sorted().joined(separator: " ")
    }
}

/// The lanes being drained, and their tasks (so that shutdown can wait for them). A lane is named by the
/// repositories it writes to (URLs joined by spaces); two lanes that share a repository never run at once, so each
/// repository has one writer at a time.
actor LaneTable {
    private var running: [String: Task<Void, Never>] = [:]
    /// Lanes that asked to start while they, a lane sharing a repository with them, or ``exclusively(_:)`` ran;
    /// each starts (once) as soon as nothing holds it back.
    private var waiting: [String: @Sendable () async -> Void] = [:]
    private var isPaused = false
    private(set) var isDraining = false
    /// At most this many lanes run at once (`service.maxLanes`).
    let maxRunning: Int

    init(maxRunning: Int = .max) { self.maxRunning = maxRunning }

    /// Starts `body` for `lane`, or, while the lane or one sharing a repository with it is busy (or `maxRunning`
    /// lanes run), once it is free.
    func start(_ lane: String, _ body: @escaping @Sendable () async -> Void) {
        guard !isDraining else { return }
        guard !isPaused, running.count < maxRunning, !running.keys.contains(where: { Self.overlap($0, lane) }) else {
            waiting[lane] = body
            return
        }
        running[lane] = Task {
            await body()
            self.finished(lane)
        }
    }

    private func finished(_ lane: String) {
        running[lane] = nil
        startWaiting()
    }

    private func startWaiting() {
        let ready = waiting.sorted { $0.key < $1.key }
        waiting = [:]
        for (lane, body) in ready { start(lane, body) }
    }

    /// True when the lanes `a` and `b` write to a common repository.
    static func overlap(_ a: String, _ b: String) -> Bool {
        a == b || !Set(a.split(separator: " ")).isDisjoint(with: b.split(separator: " "))
    }

    /// Runs `body` while no lane runs: waits for the running lanes to finish and holds new ones back until it
    /// returns (a reconciliation must not read the ledger while a promotion is changing it).
    func exclusively<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        isPaused = true
        defer {
            isPaused = false
            startWaiting()
        }
        while let (_, task) = running.first { await task.value }
        return try await body()
    }

    /// Takes no new lanes and waits for the running ones.
    func drainAndWait() async {
        isDraining = true
        while let (_, task) = running.first {
            await task.value
        }
    }
}
