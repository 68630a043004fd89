import ArgumentParser
import Foundation
import JSON
import Promotion
import Store

/// `promote status [MODEL] [--json]`: what each environment runs and what waits for review.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show, per model and environment, the live version and any pull request waiting for review.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Only this model.") var model: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await CLIFailure.reporting {
            let app = try Composition(configPath: global.config)
            let entries = try await app.store.ledger(model: model, environment: nil)
            let order = Dictionary(uniqueKeysWithValues: app.config.environments.enumerated().map { ($1.name, $0) })
            let models = Set(entries.map(\.model)).sorted()
            if json {
                let out: [JSONValue] = models.map { name in
                    let envs = app.config.environments.map(\.name).compactMap { env -> JSONValue? in
                        let mine = entries.filter { $0.model == name && $0.environment == env }
                        guard !mine.isEmpty else { return nil }
                        var o: [String: JSONValue] = ["name": .string(env)]
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
                print(ReportPrinter.encode(["models": .array(out)]))
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
            }
        }
    }
}
