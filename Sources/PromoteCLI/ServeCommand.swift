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
            Prints "listening on http://HOST:PORT" on stdout once the port is bound. Several replicas may share a \
            PostgreSQL state store (service.state: postgres://...); a second promote serve on one SQLite file is refused.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Where to listen (overrides service.listen); port 0 picks a free one.", valueName: "host:port"))
    var listen: String?
    @Flag(name: .customLong("allow-unauthenticated"), help: "Accept unsigned events (only on a trusted network, e.g. in a test).")
    var allowUnauthenticated = false
    @Option(help: ArgumentHelp(
        "This replica's name in logs, metrics, the audit log and the leases it holds (default: host:pid).", valueName: "name"))
    var replica: String?

    func run() async throws {
        try await CLIFailure.reporting {
            let environment = ProcessInfo.processInfo.environment
            let replica = replica ?? "\(ProcessInfo.processInfo.hostName):\(getpid())"
            let app = try await Composition(configPath: global.config, environment: environment, replica: replica, serving: true)
            let registry = try app.registry()
            var logger = Logger(label: "promote.serve")
            logger[metadataKey: "replica"] = "\(replica)"
            let server = try PromoteServer(
                engine: app.engine, registry: registry, listen: listen ?? app.config.service.listen, environment: environment,
                allowUnauthenticated: allowUnauthenticated, build: PromoteBuild.info, replica: replica, logger: logger)
            try await server.run { port in
                FileHandle.standardOutput.write(Data("listening on http://\(server.host):\(port)\n".utf8))
            }
        }
    }
}
