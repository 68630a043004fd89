internal import CurlHTTP
public import Foundation
internal import JSON
internal import Synchronization
public import Logging
public import Promotion
public import ServiceLifecycle
internal import WebhookSignatures

/// Posts CDEvents to the configured sinks (`service.cdevents.sinks`) as structured-mode CloudEvents, from a durable
/// outbox: every event is written to the state store first (once per sink), then delivered in order per (sink,
/// subject) with bounded retries and doubling waits, signed with Standard Webhooks headers when the sink has a
/// secret. What is not delivered yet survives a restart; an event given up on stays in the outbox with its reason.
/// It never holds up a promotion. In `promote serve` it runs as a service (``run()``); a command calls ``finish()``.
public final class CDEventSink: Service, Sendable {
    /// One sink and its signing secret (`whsec_...`), if any.
    public struct Target: Sendable {
        public var url: String
        public var secret: String?

        public init(url: String, secret: String? = nil) {
            self.url = url
            self.secret = secret
        }
    }

    let targets: [String: Target]
    let outbox: (any EventOutbox)?
    let delivery: ServiceSettings.EventDelivery
    let metrics: ServiceMetrics?
    let logger: Logger
    let now: @Sendable () -> Date
    /// The thread(s) that post (none without sinks).
    let pool: CurlWorkerPool?
    /// Writes to the outbox under way, so that ``finish()`` can wait for them.
    private let recording = Mutex<[UUID: Task<Void, Never>]>([:])
    /// Set when new events were stored: the delivery loop looks at the outbox at once.
    private let woken = Mutex(false)
    /// Ids of deliveries in flight, so that two passes never send the same one at once.
    private let inFlight = Mutex<Set<Int64>>([])

    /// A sink over `outbox`; `targets` empty means no sinks (``emit(_:)`` does nothing).
    public init(
        targets: [Target], outbox: (any EventOutbox)?, delivery: ServiceSettings.EventDelivery = .init(), metrics: ServiceMetrics? = nil,
        logger: Logger, now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.targets = Dictionary(targets.map { ($0.url, $0) }, uniquingKeysWith: { first, _ in first })
        self.outbox = outbox
        self.delivery = delivery
        self.metrics = metrics
        self.logger = logger
        self.now = now
        var options = CurlOptions()
        options.connectTimeout = .seconds(3)
        options.totalTimeout = .seconds(10)
        pool = targets.isEmpty || outbox == nil ? nil : CurlWorkerPool(threads: min(4, targets.count), options: options)
    }

    /// The sink `settings` describe, over `store`'s outbox; each sink's secret is read from `environment` here, once.
    /// - Throws: ``ServiceSetupError`` naming a secret's variable that is unset or not a `whsec_` secret, or a store
    ///   that keeps no outbox while sinks are configured.
    public static func make(
        settings: ServiceSettings, store: any PromotionStore, environment: [String: String], metrics: ServiceMetrics? = nil, logger: Logger,
        now: @escaping @Sendable () -> Date = Date.init
    ) throws(ServiceSetupError) -> CDEventSink {
        var targets: [Target] = []
        for url in settings.eventSinks {
            var target = Target(url: url)
            if let name = settings.eventSinkSecretEnv[url] {
                guard let secret = environment[name], !secret.isEmpty else {
                    throw ServiceSetupError("the CDEvents sink \(redactUserInfo(url)) is signed with the secret in \(name), which is not set")
                }
                do { _ = try StandardWebhookVerifier(secrets: [secret]) } catch {
                    throw ServiceSetupError("\(name) (the secret of the CDEvents sink \(redactUserInfo(url))) \(error)")
                }
                target.secret = secret
            }
            targets.append(target)
        }
        let outbox = store as? any EventOutbox
        if !targets.isEmpty, outbox == nil {
            throw ServiceSetupError("the state store keeps no event outbox, so CDEvents sinks cannot be used with it")
        }
        return CDEventSink(targets: targets, outbox: outbox, delivery: settings.eventDelivery, metrics: metrics, logger: logger, now: now)
    }

    /// Stores the events for every sink, in the background, and wakes the delivery. (``record(_:)`` waits for the store.)
    public func emit(_ events: [OutgoingCDEvent]) {
        guard !targets.isEmpty, outbox != nil, !events.isEmpty else { return }
        let id = UUID()
        recording.withLock { recording in
            recording[id] = Task { [self] in
                await record(events)
                self.recording.withLock { _ = $0.removeValue(forKey: id) }
            }
        }
    }

    /// Stores the events for every sink and returns once they are in the store; the delivery is woken.
    public func record(_ events: [OutgoingCDEvent]) async {
        guard let outbox, !targets.isEmpty, !events.isEmpty else { return }
        let stored = events.map { event in
            OutboxEvent(id: event.id, type: event.type, subject: event.subjectID, body: String(decoding: JSONWriter.write(event.cloudEvent), as: UTF8.self))
        }
        do {
            try await outbox.enqueue(stored, sinks: targets.keys.sorted(), now: now())
            woken.withLock { $0 = true }
        } catch {
            logger.error("could not store CDEvents in the outbox: they are not sent", metadata: ["events": "\(events.count)", "error": "\(error)"])
            for url in targets.keys { metrics?.countCDEvents(sink: redactUserInfo(url), outcome: "failed", by: events.count) }
        }
    }

    /// Waits until every event emitted so far is stored, then delivers what is due for up to `patience` (a command
    /// about to exit). What is still not delivered stays in the outbox: `promote serve` delivers it.
    public func finish(patience: Duration = .seconds(5)) async {
        for task in recording.withLock({ Array($0.values) }) { await task.value }
        guard outbox != nil, !targets.isEmpty else { return }
        let deadline = ContinuousClock.now + patience
        while true {
            guard let next = await deliverDue() else { return }
            let wait = max(0, next.timeIntervalSince(now()))
            guard ContinuousClock.now + .milliseconds(Int(wait * 1000)) < deadline else { return }
            try? await Task.sleep(for: .milliseconds(Int(wait * 1000) + 10))
        }
    }

    /// The delivery loop of `promote serve`: delivers whenever events are stored or a retry is due, until a graceful
    /// shutdown; then one last pass.
    public func run() async throws {
        guard outbox != nil, !targets.isEmpty else {
            try? await gracefulShutdown()
            return
        }
        var next: Date? = .distantPast
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let wake = woken.withLock { w in defer { w = false }; return w }
            if wake || next.map({ $0 <= now() }) == true { next = await deliverDue() }
            try? await Task.sleep(for: .milliseconds(100))
        }
        for task in recording.withLock({ Array($0.values) }) { await task.value }
        _ = await deliverDue()
    }

    /// Delivers every delivery due now (each sink on its own, in order per subject); returns when the next pending
    /// one is due (nil: nothing pending). Store failures are logged and retried on the next pass.
    @discardableResult
    func deliverDue() async -> Date? {
        guard let outbox else { return nil }
        do {
            while true {
                let due = try await outbox.dueDeliveries(now: now(), limit: 200).filter { d in
                    inFlight.withLock { $0.insert(d.id).inserted }
                }
                if due.isEmpty { break }
                let bySink = Dictionary(grouping: due, by: \.sink)
                await withTaskGroup(of: Void.self) { group in
                    for (_, deliveries) in bySink {
                        group.addTask { [self] in
                            for d in deliveries { await attempt(d, outbox: outbox) }
                        }
                    }
                }
                inFlight.withLock { $0.subtract(due.map(\.id)) }
            }
            try await updatePendingGauge(outbox)
            return try await outbox.nextDeliveryDue()
        } catch {
            logger.warning("could not read the CDEvents outbox", metadata: ["error": "\(error)"])
            return now().addingTimeInterval(delivery.backoff)
        }
    }

    /// One attempt of one delivery, and its outcome recorded.
    func attempt(_ d: OutboxDelivery, outbox: any EventOutbox) async {
        let shown = redactUserInfo(d.sink)
        let failure: String
        do {
            let status = try await pool?.perform(request(for: d)).status ?? 0
            if (200..<300).contains(status) {
                do { try await outbox.markDelivered(d.id, at: now()) } catch {
                    logger.warning("a delivered CDEvent could not be marked delivered: it may be sent again", metadata: ["error": "\(error)"])
                }
                metrics?.countCDEvents(sink: shown, outcome: "delivered")
                logger.info("CDEvent delivered", metadata: ["sink": "\(shown)", "type": "\(d.event.type)", "status": "\(status)", "attempt": "\(d.attempts + 1)"])
                return
            }
            failure = "HTTP \(status)"
        } catch {
            failure = "\(error)"
        }
        let attempts = d.attempts + 1
        let givingUp = attempts >= delivery.attempts
        let retryAt = givingUp ? nil : now().addingTimeInterval(delivery.wait(afterAttempts: attempts))
        do { try await outbox.markAttemptFailed(d.id, attempts: attempts, retryAt: retryAt, error: failure, at: now()) } catch {
            logger.warning("could not record a failed CDEvent delivery", metadata: ["error": "\(error)"])
        }
        if givingUp {
            metrics?.countCDEvents(sink: shown, outcome: "failed")
            logger.warning("a CDEvent sink did not accept an event: given up", metadata: [
                "sink": "\(shown)", "type": "\(d.event.type)", "attempts": "\(attempts)", "error": "\(failure)"])
        } else {
            metrics?.countCDEvents(sink: shown, outcome: "retried")
            logger.notice("a CDEvent sink did not accept an event: retrying", metadata: [
                "sink": "\(shown)", "type": "\(d.event.type)", "attempt": "\(attempts)", "error": "\(failure)"])
        }
    }

    /// The POST of one delivery: the stored body, with Standard Webhooks headers when the sink has a secret
    /// (`webhook-id` is the event id, the same on every attempt, so the receiver can drop a repeat).
    func request(for d: OutboxDelivery) throws -> HTTPRequest {
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/cloudevents+json; charset=utf-8")
        let body = Array(d.event.body.utf8)
        if let secret = targets[d.sink]?.secret {
            let timestamp = Int(now().timeIntervalSince1970)
            headers.add(StandardWebhookVerifier.Header.id, d.event.id)
            headers.add(StandardWebhookVerifier.Header.timestamp, "\(timestamp)")
            headers.add(StandardWebhookVerifier.Header.signature,
                        try StandardWebhookVerifier.signature(id: d.event.id, timestamp: timestamp, body: body, secret: secret))
        }
        return HTTPRequest(method: "POST", url: d.sink, headers: headers, body: Data(body))
    }

    private func updatePendingGauge(_ outbox: any EventOutbox) async throws {
        guard let metrics else { return }
        let counts = try await outbox.outboxCounts()
        for url in targets.keys {
            let c = counts.first { $0.sink == url }
            metrics.setCDEventsPending(sink: redactUserInfo(url), pending: c?.pending ?? 0)
        }
    }
}
