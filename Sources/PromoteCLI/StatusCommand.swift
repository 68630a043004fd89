import ArgumentParser
import Foundation
import JSON
import Promotion
import Store

/// `promote status [MODEL] [--json]`: what each environment runs, what waits for review, and the drift the last
/// `promote reconcile` found there.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show, per model and environment, the live version, any pull request waiting for review, and the drift the last reconcile found.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Only this model.") var model: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await CLIFailure.reporting(json: json) {
            let app = try Composition(configPath: global.config)
            let entries = try await app.store.ledger(model: model, environment: nil)
            let drift = try await app.store.drift(model: model)
            let reconciledAt = try await app.store.lastReconciliation()
            let order = Dictionary(uniqueKeysWithValues: app.config.environments.enumerated().map { ($1.name, $0) })
            let models = Set(entries.map(\.model) + drift.map(\.finding.model)).sorted()
            // Configured environments in promotion order, then any the records name that the config no longer has.
            let known = app.config.environments.map(\.name)
            let environments = known + Set(entries.map(\.environment) + drift.map(\.finding.environment)).subtracting(known).sorted()
            func driftOf(_ name: String, _ env: String) -> [DriftRecord] {
                drift.filter { $0.finding.model == name && $0.finding.environment == env }
            }
            if json {
                let out: [JSONValue] = models.map { name in
                    let envs = environments.compactMap { env -> JSONValue? in
                        let mine = entries.filter { $0.model == name && $0.environment == env }
                        let found = driftOf(name, env)
                        guard !mine.isEmpty || !found.isEmpty else { return nil }
                        var o: [String: JSONValue] = ["name": .string(env), "drift": .array(found.map(Self.driftJSON))]
                        if let live = mine.first(where: { $0.status == .live }) {
                            o["version"] = .string(live.version)
                            o["uri"] = .string(live.uri)
                            if let c = live.commit { o["commit"] = .string(c) }
                            o["since"] = .string(ReportPrinter.iso(live.recordedAt))
                        }
                        if let proposed = mine.first(where: { $0.status == .proposed }) {
                            o["proposed"] = [
                                "version": .string(proposed.version), "uri": .string(proposed.uri),
                                "pullRequest": [
                                    "number": .number(Double(proposed.pullRequestNumber ?? 0)), "url": .string(proposed.pullRequestURL ?? ""),
                                ],
                            ]
                        }
                        return .object(o)
                    }
                    return ["model": .string(name), "environments": .array(envs)]
                }
                print(ReportPrinter.encode([
                    "models": .array(out), "reconciledAt": reconciledAt.map { .string(ReportPrinter.iso($0)) } ?? .null,
                ]))
                return
            }
            guard !models.isEmpty else {
                print(model.map { "nothing is recorded for \($0)" } ?? "nothing is recorded yet; run 'promote release'")
                return
            }
            for name in models {
                print(name)
                let mine = entries.filter { $0.model == name }.sorted { (order[$0.environment] ?? 99, $0.status.rawValue) < (order[$1.environment] ?? 99, $1.status.rawValue) }
                for entry in mine {
                    let env = entry.environment.padding(toLength: 14, withPad: " ", startingAt: 0)
                    switch entry.status {
                    case .live: print("  \(env)\(entry.version)  \(entry.uri)")
                    case .proposed: print("  \(env)\(entry.version) proposed in \(entry.pullRequestURL ?? "a pull request") (awaiting review)")
                    case .withdrawn: print("  \(env)\(entry.version) withdrawn")
                    }
                }
                for env in environments {
                    for record in driftOf(name, env) {
                        let f = record.finding
                        print("  \(env.padding(toLength: 14, withPad: " ", startingAt: 0))drift: \(f.kind.rawValue): expected \(f.expected), found \(f.actual)"
                            + " (\(f.action.rawValue))")
                    }
                }
            }
            if let reconciledAt {
                print(drift.isEmpty ? "no drift at the last reconcile (\(ReportPrinter.iso(reconciledAt)))" : "drift as of the last reconcile (\(ReportPrinter.iso(reconciledAt)))")
            } else {
                print("drift: not checked yet; run 'promote reconcile'")
            }
        }
    }

    /// One finding as `promote status --json` shows it (the fields of `promote reconcile --json`, plus when it was found).
    static func driftJSON(_ record: DriftRecord) -> JSONValue {
        let f = record.finding
        var o: [String: JSONValue] = [
            "kind": .string(f.kind.rawValue), "expected": .string(f.expected), "actual": .string(f.actual),
            "action": .string(f.action.rawValue), "seenAt": .string(ReportPrinter.iso(record.seenAt)),
        ]
        if let detail = f.detail { o["detail"] = .string(detail) }
        return .object(o)
    }
}
