import ArgumentParser
import Foundation
import JSON
import Logging
import Promotion

/// `promote reconcile [--dry-run] [--json]`: compare the ledger with the repositories and forges; repair per policy.
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Find drift between what was promoted and what the repository holds; repair what each environment's policy allows.",
        discussion: "Exit status 0 whether or not drift was found; 1 when reconciliation itself failed.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .customLong("dry-run"), help: "Report only; change nothing.") var dryRun = false
    @Flag(help: "Print {\"findings\": [...]} as JSON.") var json = false

    func run() async throws {
        try await CLIFailure.reporting {
            let app = try Composition(configPath: global.config)
            let started = ContinuousClock.now
            let (findings, statistics) = try await Reconciler(engine: app.engine, registry: try app.registry()).reconcile(dryRun: dryRun)
            Logger(label: "promote.reconcile").info(
                "reconciled",
                metadata: [
                    "checked": "\(statistics.checked)", "fetches": "\(statistics.fetches)", "snapshots": "\(statistics.snapshots)",
                    "parses": "\(statistics.parses)", "forgeReads": "\(statistics.forgeReads)", "findings": "\(findings.count)",
                    "elapsed": "\(ContinuousClock.now - started)",
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
                print(ReportPrinter.encode(["findings": .array(objects)]))
                return
            }
            if findings.isEmpty {
                print("no drift: every environment holds what was promoted")
                return
            }
            for f in findings {
                print("\(f.model)  \(f.environment)  \(f.kind.rawValue): expected \(f.expected), found \(f.actual) -> \(f.action.rawValue)"
                    + (f.detail.map { " (\($0))" } ?? ""))
            }
        }
    }
}
