import ArgumentParser
import Foundation
import Logging
import Promotion
import Service

/// `promote advance [MODEL] [--dry-run] [--json]` (DESIGN.md 1a and 4): record merges nobody reported, sample the
/// `verify` windows that are due, and carry every version verified (and soaked) in an environment's `from` on to it.
struct AdvanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "advance",
        abstract: "Carry every version verified in an environment's `from` on to that environment (what `promote serve` does on its schedule).",
        discussion: """
            Environments with `promotion: manual` are left alone. A live version's `verify` checks are sampled once \
            per run when due; run it again (or let `promote serve` do it) until the window has held for `for`. \
            Exit status: 0 done (also when nothing moved), 1 when a version could not be carried on.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var actor: ActorOptions
    @Argument(help: "Only this model.") var model: String?
    @Flag(name: .customLong("dry-run"), help: "Say what would move; change nothing (no merge recorded, no check sampled).") var dryRun = false
    @Flag(help: "Print {\"entries\": [...]} as JSON.") var json = false

    func run() async throws {
        try await CLIFailure.reporting(json: json) {
            let app = try await Composition(configPath: global.config)
            let (model, dryRun, origin) = (model, dryRun, actor.resolved())
            let report = try await app.writingRepositories(dryRun: dryRun) { try await app.engine.advance(model: model, dryRun: dryRun, origin: origin) }
            if !dryRun {
                // As the service does: merges recorded and versions verified reach the CDEvent sinks and MLflow.
                let logger = Logger(label: "promote.advance")
                let sink = try CDEventSink.make(
                    settings: app.config.service, store: app.engine.store, environment: ProcessInfo.processInfo.environment, logger: logger)
                await MergeFollowUp(engine: app.engine, registry: try app.registry(), sink: sink, logger: logger).advanced(report)
                await sink.finish()
            }
            if json {
                print(DocumentEncoder.line(report))
            } else if report.entries.isEmpty {
                print("nothing to advance")
            } else {
                for e in report.entries {
                    print("\(e.model)  \(e.version)  \(e.environment)  \(e.action.rawValue): \(e.detail)")
                }
            }
            if report.hasFailures { throw ExitCode.failure }
        }
    }
}
