import ArgumentParser
import Foundation
import Logging
import Promotion
import Service

/// `promote serve`: the long-running service (HTTP intake, workers, merge webhooks, schedules, metrics).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the service: event intake over HTTP, durable workers, merge webhooks, scheduled reconciliation.",
        discussion: """
            Listens on service.listen (or --listen). Intake needs secrets (service.intake.secretsEnv or tokensEnv) \
            unless --allow-unauthenticated is given. SIGTERM stops intake, lets running promotions finish, then exits 0. \
            Prints "listening on http://HOST:PORT" on stdout once the port is bound.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Where to listen (overrides service.listen); port 0 picks a free one.", valueName: "host:port"))
    var listen: String?
    @Flag(name: .customLong("allow-unauthenticated"), help: "Accept unsigned events (only on a trusted network, e.g. in a test).")
    var allowUnauthenticated = false

    func run() async throws {
        try await CLIFailure.reporting {
            let environment = ProcessInfo.processInfo.environment
            let app = try Composition(configPath: global.config, environment: environment)
            let registry = try app.registry()
            let server = try PromoteServer(
                engine: app.engine, registry: registry, listen: listen ?? app.config.service.listen, environment: environment,
                allowUnauthenticated: allowUnauthenticated, build: PromoteBuild.info, logger: Logger(label: "promote.serve"))
            try await server.run { port in
                FileHandle.standardOutput.write(Data("listening on http://\(server.host):\(port)\n".utf8))
            }
        }
    }
}
