import ArgumentParser
import Foundation
import Promotion
import Service

/// `promote ledger rebuild`: rebuild the ledger from the provenance trailers in git.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "Work with the ledger of versions per environment.", subcommands: [Rebuild.self])

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild the ledger from the Promote-* trailers of each environment's branch (after losing the state store).")

        @OptionGroup var global: GlobalOptions
        @Flag(name: .customLong("dry-run"), help: "Print what the history says; write nothing.") var dryRun = false
        @Flag(help: "Print {\"dryRun\", \"entries\": [...]} as JSON.") var json = false

        func run() async throws {
            try await CLIFailure.reporting(json: json) {
                let app = try await Composition(configPath: global.config)
                var entries = try await LedgerRebuilder(engine: app.engine).rebuild(write: !dryRun)
                entries += try await OpenProposalAdopter(engine: app.engine).adopt(write: !dryRun)
                if json {
                    print(DocumentEncoder.line(LedgerRebuildDocument(dryRun: dryRun, entries: entries)))
                    return
                }
                if entries.isEmpty { print("no Promote-* trailers found on the environments' branches") }
                for e in entries {
                    let proposed = e.pullRequestURL.map { "  proposed in \($0)" } ?? ""
                    print("\(e.environment)  \(e.model)  \(e.version)  \(e.uri)  (\(e.commit.map { String($0.prefix(10)) } ?? ""))\(proposed)")
                }
            }
        }
    }
}

/// `promote ledger rebuild --json`: the entries the trailers gave (written unless `dryRun`).
struct LedgerRebuildDocument: Encodable {
    struct Entry: Encodable {
        var environment: String
        var model: String
        var version: String
        var uri: String
        var commit: String?
    }

    var dryRun: Bool
    var entries: [Entry]

    init(dryRun: Bool, entries: [LedgerEntry]) {
        self.dryRun = dryRun
        self.entries = entries.map { Entry(environment: $0.environment, model: $0.model, version: $0.version, uri: $0.uri, commit: $0.commit) }
    }
}
