import ArgumentParser
import Foundation
import Logging
import Promotion
import Service

/// `promote reconcile [--dry-run] [--json]`: compare the ledger with the repositories and forges; repair per policy.
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Find drift between what was promoted and what the repository holds; repair what each environment's policy allows.",
        discussion: "Exit status 0 whether or not drift was found; 1 when a model or environment could not be checked (the others are still reconciled; --json lists them under \"errors\").")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .customLong("dry-run"), help: "Report only; change nothing.") var dryRun = false
    @Flag(help: "Print {\"findings\": [...]} as JSON.") var json = false

    func run() async throws {
        try await CLIFailure.reporting(json: json) {
            let app = try await Composition(configPath: global.config)
            let started = ContinuousClock.now
            let logger = Logger(label: "promote.reconcile")
            let registry = try app.registry()
            let reconciler = Reconciler(engine: app.engine, registry: registry)
            let dryRun = dryRun
            let report = try await app.writingRepositories(dryRun: dryRun) { try await reconciler.reconcile(dryRun: dryRun) }
            if !dryRun {
                // As the service's schedule does: CDEvents per finding, recorded merges told to MLflow.
                let sink = try CDEventSink.make(
                    settings: app.config.service, store: app.engine.store, environment: ProcessInfo.processInfo.environment, logger: logger)
                try await MergeFollowUp(engine: app.engine, registry: registry, sink: sink, logger: logger).reconciled(report.findings)
                await sink.finish()
            }
            let (findings, failures, statistics) = (report.findings, report.failures, report.statistics)
            logger.info(
                "reconciled",
                metadata: [
                    "checked": "\(statistics.checked)", "fetches": "\(statistics.fetches)", "snapshots": "\(statistics.snapshots)",
                    "parses": "\(statistics.parses)", "forgeReads": "\(statistics.forgeReads)", "findings": "\(findings.count)",
                    "failures": "\(failures.count)", "elapsed": "\(ContinuousClock.now - started)",
                ])
            if json {
                print(DocumentEncoder.line(ReconcileDocument(findings: findings, failures: failures)))
            } else if findings.isEmpty, failures.isEmpty {
                print("no drift: every environment holds what was promoted")
            } else {
                for f in findings {
                    print("\(f.model)  \(f.environment)  \(f.kind.rawValue): expected \(f.expected), found \(f.actual) -> \(f.action.rawValue)"
                        + (f.detail.map { " (\($0))" } ?? ""))
                }
            }
            guard failures.isEmpty else {
                CLIFailure.printError(failures.map { "error: could not reconcile \($0)" }.joined(separator: "\n"))
                throw ExitCode.failure
            }
        }
    }
}

/// `promote reconcile --json`: `{"findings": [...]}` (DESIGN section 4), plus `errors` when a model or environment
/// could not be checked.
struct ReconcileDocument: Encodable {
    struct Finding: Encodable {
        var model: String
        var environment: String
        var kind: String
        var expected: String
        var actual: String
        var action: String
        var detail: String?
    }

    /// One failure; `model` is null when a whole environment could not be checked.
    struct Failure: Encodable {
        var model: String?
        var environment: String
        var message: String

        enum CodingKeys: String, CodingKey { case model, environment, message }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(model, forKey: .model)
            try container.encode(environment, forKey: .environment)
            try container.encode(message, forKey: .message)
        }
    }

    var findings: [Finding]
    var errors: [Failure]?

    init(findings: [DriftFinding], failures: [ReconcileFailure]) {
        self.findings = findings.map {
            Finding(
                model: $0.model, environment: $0.environment, kind: $0.kind.rawValue, expected: $0.expected, actual: $0.actual,
                action: $0.action.rawValue, detail: $0.detail)
        }
        errors = failures.isEmpty ? nil : failures.map { Failure(model: $0.model, environment: $0.environment, message: $0.message) }
    }
}
