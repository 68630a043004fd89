import ArgumentParser
import Foundation
import Promotion

/// `promote status [MODEL] [--json]`: per model and environment, what the spec on the branch holds (also for models
/// Promote has not promoted yet and declared models), what the ledger records as live, what waits for review, and
/// the drift the last `promote reconcile` found. `--json` prints the document `GET /v1/status` answers.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show, per model and environment, what the spec holds, the live version, any pull request waiting for review, and the drift the last reconcile found.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Only this model.") var model: String?
    @Flag(help: "Print JSON (the document GET /v1/status answers).") var json = false

    func run() async throws {
        try await CLIFailure.reporting(json: json) {
            let app = try await Composition(configPath: global.config)
            let facts = try await StatusReader(engine: app.engine, askForge: false).facts()
            let report = StatusBuilder.report(config: app.config, facts: facts, model: model)
            if json {
                print(String(decoding: try report.json(), as: UTF8.self))
                return
            }
            print(Self.text(report, model: model))
        }
    }

    /// One line on the stages of a cell: state, failing check, soak remaining.
    static func describe(_ stage: StatusReport.Stage) -> String {
        var parts: [String] = []
        if let version = stage.version, let state = stage.state { parts.append("\(version) \(state)") }
        if let remaining = stage.verifyRemaining { parts.append("verify window: \(Int(remaining.rounded(.up)))s to go") }
        if let failing = stage.failingCheck { parts.append("failing check: \(failing)") }
        if let waiting = stage.waiting, let soak = stage.soakRemaining {
            parts.append("\(waiting) waiting: soak \(Int(soak.rounded(.up)))s remaining")
        }
        return "stage: " + parts.joined(separator: "; ")
    }

    /// The report for people: one block per model, one line per environment, then its proposal and drift.
    static func text(_ report: StatusReport, model: String?) -> String {
        guard !report.models.isEmpty else {
            return model.map { "nothing is known of \($0): no spec, no declaration, no promotion" }
                ?? "no model has a spec, a declaration or a promotion yet; run 'promote release'"
        }
        let width = max(14, (report.environments.map(\.name.count).max() ?? 0) + 2)
        var lines: [String] = []
        for m in report.models {
            lines.append(m.model + (m.declared ? " (declared)" : ""))
            for p in m.pending { lines.append("  \(p.state) \(p.version) (\(p.id))") }
            for cell in m.environments {
                let env = cell.name.padding(toLength: width, withPad: " ", startingAt: 0)
                var line: String
                switch cell.spec.state {
                case "present": line = "spec: \(cell.spec.version ?? "no model location")" + (cell.spec.value.map { $0 == cell.spec.version ? "" : "  \($0)" } ?? "")
                case "missing": line = "spec: none at \(cell.spec.path)"
                default: line = "spec: unreadable: \(cell.spec.error ?? "")"
                }
                if let version = cell.version, version != cell.spec.version { line += "  (ledger: live \(version))" }
                lines.append("  \(env)\(line)")
                if let p = cell.proposed {
                    let pr = p.pullRequest.map { " in \($0.url.isEmpty ? "#\($0.number)" : $0.url)" } ?? ""
                    let failing = p.gates.filter { $0.outcome == "failed" }.map { "\($0.metric) \($0.expression)" }
                    lines.append("  \(String(repeating: " ", count: width))\(p.version) proposed\(pr) (\(p.state ?? "awaiting review"))"
                        + (failing.isEmpty ? "" : "; failing gates: \(failing.joined(separator: ", "))"))
                }
                if let stage = cell.stage { lines.append("  \(String(repeating: " ", count: width))" + Self.describe(stage)) }
                for d in cell.drift {
                    lines.append("  \(env)drift: \(d.kind): expected \(d.expected), found \(d.actual) (\(d.action))")
                }
            }
        }
        if let at = report.reconciledAt {
            let drifted = report.models.contains { $0.environments.contains { !$0.drift.isEmpty } }
            lines.append(drifted ? "drift as of the last reconcile (\(ReportPrinter.iso(at)))" : "no drift at the last reconcile (\(ReportPrinter.iso(at)))")
        } else {
            lines.append("drift: not checked yet; run 'promote reconcile'")
        }
        return lines.joined(separator: "\n")
    }
}
