public import Foundation
public import Prometheus
internal import Synchronization
public import Promotion

/// The service's Prometheus metrics (`GET /metrics`). Counters and histograms are updated as things happen;
/// gauges that mirror durable state (promotions by state, queue depth, drift, forge budgets) are refreshed
/// from the store just before each scrape.
public final class ServiceMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    private static let latencyBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30),
    ]

    private let forgeTotals = Mutex<[String: (Int, Int, Int)]>([:])
    let process = ProcessMetrics()

    /// `build` becomes `promote_build_info{version,commit} 1`.
    public init(build: BuildInfo = .unknown) {
        registry.makeGauge(
            descriptor: .init(namespace: "promote", metricName: "build_info", unitName: "", helpText: "The running build: always 1, labelled with its version and commit."),
            labels: [("version", build.version), ("commit", build.commit)]
        ).set(1.0)
    }

    /// Counts one intake request by route and outcome (`accepted`, `duplicate`, `rejected`, `unauthorized`, `ignored`).
    public func countEvent(route: String, outcome: String) {
        registry.makeCounter(
            descriptor: .init(namespace: "promote", metricName: "events", unitName: "total", helpText: "Intake requests by route and outcome."),
            labels: [("route", route), ("outcome", outcome)]
        ).increment()
    }

    /// Counts one git operation (`fetch`, `snapshot`, `update`, ...) by result (`ok`, `error`) and records its duration.
    public func observeGit(_ operation: String, result: String, _ duration: Duration) {
        registry.makeCounter(
            descriptor: .init(namespace: "promote", metricName: "git_operations", unitName: "total", helpText: "Git operations by kind and result."),
            labels: [("operation", operation), ("result", result)]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: .init(namespace: "promote", metricName: "git_operation", unitName: "seconds", helpText: "Git operations by kind."),
            labels: [("operation", operation)], buckets: Self.latencyBuckets
        ).record(duration)
    }

    /// Counts one forge API call by operation and result (`ok` or the failure's kind: `rateLimited`, `server`, ...)
    /// and records its duration (retries and waits included).
    public func observeForge(_ operation: String, result: String, _ duration: Duration) {
        registry.makeCounter(
            descriptor: .init(namespace: "promote", metricName: "forge_calls", unitName: "total", helpText: "Forge API calls by operation and result."),
            labels: [("operation", operation), ("result", result)]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: .init(namespace: "promote", metricName: "forge_request", unitName: "seconds", helpText: "Forge API calls by kind."),
            labels: [("operation", operation)], buckets: Self.latencyBuckets
        ).record(duration)
    }

    /// Counts pushes that were refused because the branch moved and were made again on the new tip.
    public func countGitPushRetries(_ retries: Int) {
        guard retries > 0 else { return }
        registry.makeCounter(
            descriptor: .init(
                namespace: "promote", metricName: "git_push_retries", unitName: "total",
                helpText: "Pushes made again on a new tip after the branch moved under them."),
            labels: []
        ).increment(by: Int64(retries))
    }

    /// Counts a promotion the service runs again after a transient failure, by the failure's kind.
    public func countPromotionRetry(reason: String) {
        registry.makeCounter(
            descriptor: .init(
                namespace: "promote", metricName: "promotion_retries", unitName: "total",
                helpText: "Promotions run again after a transient failure (5xx, 429, timeout, unreachable, stale push)."),
            labels: [("reason", reason)]
        ).increment()
    }

    /// Adds what a forge client's request budget counted since the last call for that forge: HTTP retries and
    /// rate-limit answers (each one a wait before the next attempt).
    public func recordForgeBudget(forge: String, requests: Int, retries: Int, rateLimited: Int) {
        let (newRequests, newRetries, newLimits) = forgeTotals.withLock { seen -> (Int, Int, Int) in
            let last = seen[forge] ?? (0, 0, 0)
            seen[forge] = (max(last.0, requests), max(last.1, retries), max(last.2, rateLimited))
            return (max(0, requests - last.0), max(0, retries - last.1), max(0, rateLimited - last.2))
        }
        let labels = [("forge", forge)]
        registry.makeCounter(
            descriptor: .init(namespace: "promote", metricName: "forge_http_requests", unitName: "total", helpText: "HTTP exchanges with forges, each attempt counted."),
            labels: labels
        ).increment(by: Int64(newRequests))
        registry.makeCounter(
            descriptor: .init(namespace: "promote", metricName: "forge_retries", unitName: "total", helpText: "Forge HTTP attempts that were retries."),
            labels: labels
        ).increment(by: Int64(newRetries))
        registry.makeCounter(
            descriptor: .init(
                namespace: "promote", metricName: "forge_rate_limit_waits", unitName: "total",
                helpText: "Rate-limit answers from forges (429 or a 403 rate limit), each followed by a wait or a refusal."),
            labels: labels
        ).increment(by: Int64(newLimits))
    }

    /// Counts one HTTP request of the service's own API by method, route template and status, and records its duration.
    public func observeHTTP(method: String, route: String, status: Int, duration: Duration) {
        registry.makeCounter(
            descriptor: .init(namespace: "promote", metricName: "http_requests", unitName: "total", helpText: "HTTP requests served, by method, route and status."),
            labels: [("method", method), ("route", route), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: .init(namespace: "promote", metricName: "http_request_duration", unitName: "seconds", helpText: "Time to answer an HTTP request, by method and route."),
            labels: [("method", method), ("route", route)], buckets: Self.latencyBuckets
        ).record(duration)
    }

    /// Sets the promotion gauges from the store's counts.
    public func setPromotions(_ counts: [PromotionCount]) {
        var byState: [PromotionState: Int] = [:]
        for count in counts { byState[count.state, default: 0] += count.count }
        for state in PromotionState.allCases {
            gauge("promotions", "Promotions by state.", [("state", state.rawValue)]).set(Double(byState[state] ?? 0))
        }
        for count in counts {
            gauge("promotions_by_environment", "Promotions by state and the environment they reached.", [
                ("state", count.state.rawValue), ("environment", count.environment ?? "none"),
            ]).set(Double(count.count))
        }
        let depth = (byState[.queued] ?? 0) + (byState[.running] ?? 0)
        gauge("queue_depth", "Promotions queued or running.", []).set(Double(depth))
    }

    /// Sets the drift gauges from the last reconciliation (the store keeps its findings, whoever ran it).
    public func setDrift(_ findings: [DriftFinding], lastRun: Date?) {
        for kind in DriftFinding.Kind.allCases {
            gauge("drift_findings", "Drift found by the last reconciliation, by kind.", [("kind", kind.rawValue)])
                .set(Double(findings.filter { $0.kind == kind }.count))
        }
        if let lastRun {
            registry.makeGauge(
                descriptor: .init(
                    namespace: "promote", metricName: "reconcile_last_run_timestamp", unitName: "seconds",
                    helpText: "Unix time of the last reconciliation."), labels: []
            ).set(lastRun.timeIntervalSince1970)
        }
    }

    /// Sets the remaining request budget the forge last announced.
    /// Counts CDEvent deliveries to `sink` by outcome: `delivered`, `retried` (an attempt failed, another follows),
    /// `failed` (given up after the last attempt, or never stored).
    public func countCDEvents(sink: String, outcome: String, by count: Int = 1) {
        registry.makeCounter(
            descriptor: .init(
                namespace: "promote", metricName: "cdevents", unitName: "total",
                helpText: "CDEvent deliveries by sink and outcome (delivered, retried, failed)."),
            labels: [("sink", sink), ("outcome", outcome)]
        ).increment(by: Int64(count))
    }

    /// The CDEvents waiting in the outbox for `sink`.
    public func setCDEventsPending(sink: String, pending: Int) {
        gauge("cdevents_pending", "CDEvents stored in the outbox and not yet delivered.", [("sink", sink)]).set(Double(pending))
    }

    public func setForgeBudget(forge: String, remaining: Int) {
        gauge("forge_requests_remaining", "Requests left in the forge's rate-limit window.", [("forge", forge)]).set(Double(remaining))
    }

    /// The exposition text.
    public func render() -> String { registry.emitToString() + process.render() }

    private func gauge(_ name: String, _ help: String, _ labels: [(String, String)]) -> Gauge {
        registry.makeGauge(descriptor: .init(namespace: "promote", metricName: name, unitName: "", helpText: help), labels: labels)
    }
}
