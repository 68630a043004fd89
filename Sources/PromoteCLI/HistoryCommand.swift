import ArgumentParser
import Foundation
import Promotion
import Store

/// `promote history MODEL [--json]`: every promotion of a model, newest first, with its steps.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "List a model's promotions, newest first.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The model.") var model: String
    @Option(help: "At most this many promotions.") var limit = 50
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await CLIFailure.reporting {
            let app = try Composition(configPath: global.config)
            let records = try await app.store.promotions(model: model, limit: limit)
            if json {
                let out = records.map { r -> [String: Any] in
                    var o: [String: Any] = [
                        "id": r.id, "version": r.request.version, "uri": r.request.uri, "state": r.state.rawValue, "origin": r.origin,
                        "createdAt": ReportPrinter.iso(r.createdAt), "steps": r.steps.map(ReportPrinter.stepJSON),
                    ]
                    if let detail = r.detail { o["detail"] = detail }
                    return o
                }
                print(ReportPrinter.encode(["model": model, "promotions": out]))
                return
            }
            if records.isEmpty { print("no promotions of \(model) are recorded") }
            for r in records {
                print("\(ReportPrinter.iso(r.createdAt))  \(r.request.version)  \(r.state.rawValue)  \(r.id)  (\(r.origin))")
                for step in r.steps { print("    \(step.environment): \(ReportPrinter.describe(step))") }
            }
        }
    }
}
