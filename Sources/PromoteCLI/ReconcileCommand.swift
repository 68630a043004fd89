import ArgumentParser
import Foundation
import JSON
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
            let app = try Composition(configPath: global.config)
            let started = ContinuousClock.now
            let logger = Logger(label: "promote.reconcile")
            let registry = try app.registry()
            let report = try await Reconciler(engine: app.engine, registry: registry).reconcile(dryRun: dryRun)
            if !dryRun {
                // As the service's schedule does: CDEvents per finding, recorded merges told to MLflow.
                let sink = CDEventSink(sinks: app.config.service.eventSinks, logger: logger)
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
                let objects = findings.map { f -> JSONValue in
                    var o: [String: JSONValue] = [
                        "model": .string(f.model), "environment": .string(f.environment), "kind": .string(f.kind.rawValue),
                        "expected": .string(f.expected), "actual": .string(f.actual), "action": .string(f.action.rawValue),
                    ]
                    if let detail = f.detail { o["detail"] = .string(detail) }
                    return .object(o)
                }
                var document: [String: JSONValue] = ["findings": .array(objects)]
                if !failures.isEmpty {
                    document["errors"] = .array(failures.map { f in
                        .object([
                            "model": f.model.map(JSONValue.string) ?? .null, "environment": .string(f.environment),
                            "message": .string(f.message),
                        ])
                    })
                }
                print(ReportPrinter.encode(.object(document)))
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
