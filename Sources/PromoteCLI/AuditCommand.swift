import ArgumentParser
import Foundation
import Promotion

/// `promote audit [MODEL] [--since T] [--json]`: who did what, when, to which version (DESIGN.md section 4).
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the audit log: who released, rolled back, merged or closed what, and what Promote did on its own.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Only this model.") var model: String?
    @Option(help: ArgumentHelp("Only entries since this time: RFC 3339 (2026-12-04T10:00:00Z) or a duration back from now (24h, 7d).", valueName: "time"))
    var since: String?
    @Option(help: ArgumentHelp("At most this many entries, newest first.", valueName: "n")) var limit = 1000
    @Flag(help: "Print JSON: {\"entries\": [{\"at\", \"actor\", \"action\", \"model\", \"environment\", \"version\", \"detail\", \"replica\"}]}.")
    var json = false

    func validate() throws {
        if let since, AuditSince.parse(since, now: Date()) == nil { throw ValidationError("--since \(AuditSince.problem(since))") }
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        try await CLIFailure.reporting {
            let app = try await Composition(configPath: global.config)
            let report = try await AuditReader(store: app.store).report(
                model: model, since: since.flatMap { AuditSince.parse($0, now: Date()) }, limit: limit)
            if json {
                print(String(decoding: try report.json(), as: UTF8.self))
                return
            }
            guard !report.entries.isEmpty else {
                print("no audit entries" + (model.map { " for \($0)" } ?? "") + (since.map { " since \($0)" } ?? ""))
                return
            }
            for e in report.entries {
                let place = [e.model, e.environment, e.version].compactMap { $0 }.joined(separator: " ")
                print("\(ReportPrinter.iso(e.at))  \(e.actor)  \(e.action)  \(place)  \(e.detail)" + (e.replica.map { "  (replica \($0))" } ?? ""))
            }
        }
    }
}
