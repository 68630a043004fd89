import ArgumentParser
import Foundation
import Promotion

/// `promote ledger rebuild`: rebuild the ledger from the provenance trailers in git.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "Work with the ledger of versions per environment.", subcommands: [Rebuild.self])

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild the ledger from the Promote-* trailers of each environment's branch (after losing the state store).")

        @OptionGroup var global: GlobalOptions
        @Flag(name: .customLong("dry-run"), help: "Print what the history says; write nothing.") var dryRun = false

        func run() async throws {
            try await CLIFailure.reporting {
                let app = try Composition(configPath: global.config)
                var entries = try await LedgerRebuilder(engine: app.engine).rebuild(write: !dryRun)
                entries += try await OpenProposalAdopter(engine: app.engine).adopt(write: !dryRun)
                if entries.isEmpty { print("no Promote-* trailers found on the environments' branches") }
                for e in entries {
                    let proposed = e.pullRequestURL.map { "  proposed in \($0)" } ?? ""
                    print("\(e.environment)  \(e.model)  \(e.version)  \(e.uri)  (\(e.commit.map { String($0.prefix(10)) } ?? ""))\(proposed)")
                }
            }
        }
    }
}
