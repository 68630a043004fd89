import ArgumentParser
import Foundation
import JSON
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
                let out = records.map { r -> JSONValue in
                    var o: [String: JSONValue] = [
                        "id": .string(r.id), "version": .string(r.request.version), "uri": .string(r.request.uri),
                        "state": .string(r.state.rawValue), "origin": .string(r.origin), "createdAt": .string(ReportPrinter.iso(r.createdAt)),
                        "steps": .array(r.steps.map(ReportPrinter.stepJSON)),
                    ]
                    if let detail = r.detail { o["detail"] = .string(detail) }
                    return .object(o)
                }
                print(ReportPrinter.encode(["model": .string(model), "promotions": .array(out)]))
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
