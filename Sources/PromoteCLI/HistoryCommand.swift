import ArgumentParser
import Foundation
import Service
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
        try await CLIFailure.reporting(json: json) {
            let app = try await Composition(configPath: global.config)
            let records = try await app.store.promotions(model: model, limit: limit)
            if json {
                print(DocumentEncoder.line(HistoryDocument(model: model, promotions: records.map(PromotionDocument.init))))
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

/// `promote history MODEL --json`: the model's promotions, newest first, each as `GET /v1/promotions/{id}` shows it.
struct HistoryDocument: Encodable {
    var model: String
    var promotions: [PromotionDocument]
}
