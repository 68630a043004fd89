public import Foundation
public import Prometheus
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

    public init() {}

    /// Counts one intake request by route and outcome (`accepted`, `duplicate`, `rejected`, `unauthorized`, `ignored`).
    public func countEvent(route: String, outcome: String) {
        registry.makeCounter(
            descriptor: .init(namespace: "promote", metricName: "events", unitName: "total", helpText: "Intake requests by route and outcome."),
            labels: [("route", route), ("outcome", outcome)]
        ).increment()
    }

    /// Records the duration of one git operation (`fetch`, `snapshot`, `update`, ...).
    public func observeGit(_ operation: String, _ duration: Duration) {
        registry.makeDurationHistogram(
            descriptor: .init(namespace: "promote", metricName: "git_operation", unitName: "seconds", helpText: "Git operations by kind."),
            labels: [("operation", operation)], buckets: Self.latencyBuckets
        ).record(duration)
    }

    /// Records the duration of one forge API call.
    public func observeForge(_ operation: String, _ duration: Duration) {
        registry.makeDurationHistogram(
            descriptor: .init(namespace: "promote", metricName: "forge_request", unitName: "seconds", helpText: "Forge API calls by kind."),
            labels: [("operation", operation)], buckets: Self.latencyBuckets
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
            gauge("reconcile_last_run", "Unix time of the last reconciliation.", []).set(lastRun.timeIntervalSince1970)
        }
    }

    /// Sets the remaining request budget the forge last announced.
    public func setForgeBudget(forge: String, remaining: Int) {
        gauge("forge_requests_remaining", "Requests left in the forge's rate-limit window.", [("forge", forge)]).set(Double(remaining))
    }

    /// The exposition text.
    public func render() -> String { registry.emitToString() }

    private func gauge(_ name: String, _ help: String, _ labels: [(String, String)]) -> Gauge {
        registry.makeGauge(descriptor: .init(namespace: "promote", metricName: name, unitName: "", helpText: help), labels: labels)
    }
}
