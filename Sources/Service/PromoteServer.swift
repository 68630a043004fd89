internal import Foundation
public import Hummingbird
public import Logging
public import Promotion
internal import ServiceLifecycle
internal import UnixSignals

/// `promote serve`: the HTTP intake, the durable workers and the schedules on one ServiceLifecycle group.
/// SIGTERM (or SIGINT) stops intake first, lets running promotions finish, then returns.
public struct PromoteServer: Sendable {
    public let handlers: ServiceHandlers
    public let workers: PromotionWorkers
    public let schedules: ScheduledTasks
    /// The stages' clock: `advance` passes (DESIGN.md 1a).
    public let stages: StageSchedule
    /// Delivers CDEvents from the outbox.
    public let events: CDEventSink
    /// The status page, `/v1/status`, `/v1/audit` and `POST /v1/promotions`, behind `service.access`.
    public let operatorRoutes: OperatorRoutes
    public let host: String
    public let port: Int
    let logger: Logger

    /// Wires the service. `engine` is the same engine the CLI uses; its repository and forge adapters are wrapped
    /// so that git and forge latencies reach `/metrics`. Secrets are read from `environment` here, once. A
    /// `replica` name (`--replica`) makes the workers and schedules run under leases kept by the store (DESIGN.md 8).
    public init(
        engine base: PromotionEngine, registry: (any ModelRegistry)?, listen: String, environment: [String: String],
        allowUnauthenticated: Bool = false, build: BuildInfo = .unknown, replica: String? = nil, logger: Logger
    ) throws(ServiceSetupError) {
        let (host, port) = try Self.parseListen(listen)
        let metrics = ServiceMetrics(build: build, replica: replica)
        var engine = PromotionEngine(
            config: base.config, store: base.store,
            repository: { MeasuredRepository(try base.repository($0), metrics: metrics) },
            forge: { env in
                MeasuredForge(try base.forge(env), name: "\(env.forge.kind.rawValue) \(env.forge.project ?? "")", metrics: metrics)
            },
            now: base.now)
        engine.deploymentChecks = base.deploymentChecks
        let settings = engine.config.service
        let intake = try IntakeAuthenticator(settings: settings, environment: environment)
        if intake.isOpen, !allowUnauthenticated {
            throw ServiceSetupError(
                "intake needs secrets: set service.intake.secretsEnv (Standard Webhooks whsec_ secrets) or service.intake.tokensEnv "
                    + "(bearer tokens), or start with --allow-unauthenticated on a trusted network")
        }
        let sink = try CDEventSink.make(settings: settings, store: engine.store, environment: environment, metrics: metrics, logger: logger)
        events = sink
        var followUp = MergeFollowUp(engine: engine, registry: registry, sink: sink, logger: logger)
        let mlflow = try settings.mlflow.map { mlflowSettings throws(ServiceSetupError) in
            try MLflowIntake(
                settings: mlflowSettings, config: engine.config, registry: registry, environment: environment,
                allowUnsigned: allowUnauthenticated)
        }
        let leases = replica.flatMap { name in
            (base.store as? any LeaseStore).map { ReplicaLeases(store: $0, holder: name, duration: settings.leaseDuration, logger: logger) }
        }
        workers = PromotionWorkers(engine: engine, metrics: metrics, logger: logger, leases: leases)
        stages = StageSchedule(engine: engine, workers: workers, followUp: followUp, logger: logger)
        followUp.stateChanged = { [stages] in stages.kick() }
        workers.finished = { [stages] in stages.kick() }
        schedules = ScheduledTasks(engine: engine, followUp: followUp, workers: workers, logger: logger, leases: leases)
        handlers = ServiceHandlers(
            engine: engine, workers: workers, metrics: metrics, intake: intake, allowUnauthenticated: allowUnauthenticated,
            mlflow: mlflow, forgeWebhooks: ForgeWebhookIntake(config: engine.config, environment: environment, followUp: followUp),
            build: build, logger: logger)
        let access = try AccessControl(settings: settings.access, environment: environment)
        if access.isClosed {
            logger.warning("no service.access is configured: the status page and the read API answer 401 to everyone")
        }
        operatorRoutes = OperatorRoutes(
            engine: engine, access: access, sessions: SessionStore(lifetime: settings.access?.sessionLifetime ?? 8 * 3600, access: access),
            status: StatusReader(engine: engine, refreshAfter: settings.pageRefresh),
            requests: PromotionRequests(engine: engine, workers: workers), logger: logger)
        self.host = host
        self.port = port
        self.logger = logger
    }

    /// Runs until SIGTERM/SIGINT. `onListening` receives the bound port (useful with port 0).
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try ListenProbe.check(host: host, port: port)
        let limits = ConnectionLimits()
        let app = Application(
            router: makeRouter(), server: limits.server,
            configuration: .init(
                address: .hostname(host, port: port), serverName: "promote",
                availableConnectionsDelegate: limits.connectionsDelegate),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) }, logger: logger)
        // Shutdown runs in reverse order: intake stops first, then the schedules, then the workers finish, then the
        // CDEvents outbox makes its last pass.
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: events), .init(service: workers), .init(service: schedules), .init(service: stages), .init(service: app)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// Every route, behind the middleware that turns router errors into problems.
    public func makeRouter() -> Router<PromoteRequestContext> {
        let router = Router(context: PromoteRequestContext.self)
        router.add(middleware: AccessLogMiddleware(logger: logger, metrics: handlers.metrics))
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: MethodNotAllowedMiddleware())
        router.add(middleware: AccessMiddleware(access: operatorRoutes.access, logger: logger))
        handlers.register(on: router)
        operatorRoutes.register(on: router)
        return router
    }

    /// `HOST:PORT`, `[::1]:PORT` or `:PORT`.
    static func parseListen(_ text: String) throws(ServiceSetupError) -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ServiceSetupError("the listen address '\(text)' is not HOST:PORT (e.g. 127.0.0.1:8080)")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }
}
