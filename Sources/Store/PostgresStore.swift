public import Foundation
public import Logging
public import Promotion
internal import PostgresNIO

/// The ``PromotionStore`` on PostgreSQL through postgres-nio, shared by several `promote serve` replicas
/// (DESIGN.md 8). Same schema as ``SQLiteStore`` (``StoreSchema``), migrated at open under an advisory lock so that
/// replicas starting together migrate once; every write checks, in its own transaction, the leases the calling task
/// works under (``Lease/held``).
public final class PostgresStore: PromotionStore, Sendable {
    let client: PostgresClient
    private let runner: Task<Void, Never>
    let logger: Logger
    /// Where the database lives, without its password: `postgres://user@host:port/db`.
    public let location: String
    /// The replica named in the audit entries this store writes.
    public let replica: String?

    /// The advisory lock held while migrating (any 64-bit constant, the same for every replica: "promote" in ASCII).
    static let migrationLock: Int64 = 0x70726f6d6f7465

    /// Connects to `location` (with `password`, if any), then creates or upgrades the schema. Fails with a
    /// ``StoreError`` naming the location (never the password) when the server cannot be reached within
    /// `connectTimeout` or refuses the login.
    public init(
        location: PostgresLocation, password: String?, replica: String? = nil, logger: Logger,
        connectTimeout: Duration = .seconds(10)
    ) async throws(StoreError) {
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user, password: password, database: location.database,
            tls: Self.poolTLS(location.sslMode))
        configuration.options.connectTimeout = connectTimeout
        configuration.options.maximumConnections = 10
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.runner = Task { await client.run() }
        self.logger = logger
        self.location = location.description
        self.replica = replica
        do {
            try await Self.within(connectTimeout, "connect") {
                try await Self.checkLogin(location, password: password, connectTimeout: connectTimeout, logger: logger)
            }
            try await migrate(timeout: connectTimeout)
        } catch {
            runner.cancel()
            throw Self.storeError("open \(location)", error)
        }
    }

    /// Stops the connection pool.
    deinit { runner.cancel() }

    /// libpq's sslmode: `disable` no TLS, `allow`/`prefer` TLS when the server offers it, `require` TLS without
    /// checking the certificate, `verify-ca` checking the chain, `verify-full` also the host name. Nil: no TLS;
    /// `required` false: TLS only if the server offers it.
    static func tls(_ mode: String) -> (config: TLSConfiguration, required: Bool)? {
        var config = TLSConfiguration.makeClientConfiguration()
        switch mode {
        case "disable": return nil
        case "verify-full": return (config, true)
        case "verify-ca":
            config.certificateVerification = .noHostnameVerification
            return (config, true)
        case "require":
            config.certificateVerification = .none
            return (config, true)
        default:
            config.certificateVerification = .none
            return (config, false)
        }
    }

    /// The pool's TLS setting for `mode`.
    static func poolTLS(_ mode: String) -> PostgresClient.Configuration.TLS {
        guard let (config, required) = tls(mode) else { return .disable }
        return required ? .require(config) : .prefer(config)
    }

    /// Opens (and closes) one connection of its own: the pool retries a refused login quietly until its request
    /// times out, this says why at once (wrong password, unknown database, TLS refused).
    static func checkLogin(_ location: PostgresLocation, password: String?, connectTimeout: Duration, logger: Logger) async throws {
        var tls = PostgresConnection.Configuration.TLS.disable
        if let (config, required) = Self.tls(location.sslMode) {
            let context = try NIOSSLContext(configuration: config)
            tls = required ? .require(context) : .prefer(context)
        }
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: password, database: location.database, tls: tls)
        configuration.options.connectTimeout = .seconds(connectTimeout.components.seconds)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        try await connection.close()
    }

    // MARK: - Schema

    /// Applies the migrations of ``StoreSchema`` not yet applied, in one transaction holding an advisory lock: a
    /// replica starting at the same time waits for it, then finds them applied. The first connection must come
    /// within `timeout` (the pool would otherwise keep retrying a server that is not there).
    func migrate(timeout: Duration) async throws {
        try await Self.within(timeout, "connect") {
                try await self.transaction("migrate", timeout: timeout) { connection in
                    try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: self.logger)
                    try await connection.query(
                        "CREATE TABLE IF NOT EXISTS schema_migration (name TEXT PRIMARY KEY NOT NULL, applied_at DOUBLE PRECISION NOT NULL)",
                        logger: self.logger)
                    var applied = Set<String>()
                    for try await name in try await connection.query("SELECT name FROM schema_migration", logger: self.logger)
                        .decode(String.self)
                    { applied.insert(name) }
                    for migration in StoreSchema.migrations where !applied.contains(migration.name) {
                        for statement in migration.statements {
                            try await connection.query(
                                PostgresQuery(unsafeSQL: StoreSchema.Dialect.postgres.render(statement)), logger: self.logger)
                        }
                        try await connection.query(
                            "INSERT INTO schema_migration (name, applied_at) VALUES (\(migration.name), \(Date().timeIntervalSince1970))",
                            logger: self.logger)
                        self.logger.info("migrated the state store", metadata: ["migration": "\(migration.name)"])
                    }
                }
        }
    }

    /// Runs `body`, failing with a temporarily-unavailable ``StoreError`` when it has not finished within `limit`.
    static func within<T: Sendable>(
        _ limit: Duration, _ operation: String, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask(operation: body)
            group.addTask {
                try await Task.sleep(for: limit)
                throw StoreError(operation: operation, message: "no answer within \(limit)", isTemporarilyUnavailable: true)
            }
            defer { group.cancelAll() }
            guard let value = try await group.next(), let value else {
                throw StoreError(operation: operation, message: "cancelled", isTemporarilyUnavailable: true)
            }
            return value
        }
    }

    /// How long one operation may wait for the database (a connection, then its statements): an unreachable
    /// database makes requests fail as temporarily unavailable (503) instead of hanging.
    static let operationTimeout: Duration = .seconds(5)

    // MARK: - Plumbing

    /// Runs `body` in one transaction on one connection, after checking there every lease the calling task works
    /// under; rolls back when it throws. A unique-key race with another replica (two admissions of one key at once)
    /// is run again, up to three times: the second run finds the first one's row.
    func transaction<T: Sendable>(
        _ operation: String, timeout: Duration = operationTimeout, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let leases = Lease.held
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await Self.within(timeout, operation) { [client, logger] in
                  try await client.withConnection { connection in
                    try await connection.query("BEGIN", logger: logger)
                    do {
                        for lease in leases { try await Self.check(lease, connection, logger) }
                        let value = try await body(connection)
                        try await connection.query("COMMIT", logger: logger)
                        return value
                    } catch {
                        _ = try? await connection.query("ROLLBACK", logger: logger)
                        throw error
                    }
                  }
                }
            } catch let error as PSQLError where attempt < 3 && ["23505", "40001", "40P01"].contains(error.serverInfo?[.sqlState] ?? "") {
                continue
            } catch let error as StoreError { throw error } catch let error as AdmissionConflict { throw error } catch let error as LeaseLost {
                throw error
            } catch {
                throw Self.storeError(operation, error)
            }
        }
    }

    /// A read on one connection.
    func read<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await Self.within(Self.operationTimeout, operation) { [client] in try await client.withConnection { try await body($0) } }
        } catch let error as StoreError { throw error } catch {
            throw Self.storeError(operation, error)
        }
    }

    /// Throws ``LeaseLost`` unless `lease` is still held; the row stays locked (shared) until the transaction ends,
    /// so a takeover waits for this write to commit or roll back.
    static func check(_ lease: Lease, _ connection: PostgresConnection, _ logger: Logger) async throws {
        let rows = try await connection.query(
            """
            SELECT 1 FROM lease WHERE name = \(lease.name) AND holder = \(lease.holder) AND fencing = \(lease.fencing)
                AND expires_at > EXTRACT(EPOCH FROM clock_timestamp()) FOR SHARE
            """, logger: logger)
        var held = false
        for try await _ in rows { held = true }
        guard held else { throw LeaseLost(lease: lease.name) }
    }

    /// A store error from a driver error: the server's SQLSTATE and message (never the query's values or the
    /// password), marked temporarily unavailable when the server cannot be reached or is shutting down.
    static func storeError(_ operation: String, _ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        guard let error = error as? PSQLError else {
            return StoreError(operation: operation, message: String(describing: error), isTemporarilyUnavailable: false)
        }
        let state = error.serverInfo?[.sqlState]
        let unavailableCodes: [PSQLError.Code] = [.connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown]
        let unavailable = unavailableCodes.contains(error.code)
            || state.map { $0.hasPrefix("08") || $0.hasPrefix("57P") || $0.hasPrefix("53") } ?? false
        var message: String
        if let text = error.serverInfo?[.message] {
            message = "\(text) (SQLSTATE \(state ?? "?"))"
        } else if error.code == .connectionError {
            message = "cannot connect" + (error.underlying.map { ": \($0)" } ?? "")
        } else {
            message = error.code.description
        }
        if error.code == .server, state == "28P01" || state == "28000" { message = "the server refused the login (SQLSTATE \(state ?? "?"))" }
        return StoreError(operation: operation, message: message, isTemporarilyUnavailable: unavailable)
    }

    static func all<Row>(_ rows: PostgresRowSequence, _ map: (PostgresRandomAccessRow) throws -> Row) async throws -> [Row] {
        var result: [Row] = []
        for try await row in rows { result.append(try map(row.makeRandomAccess())) }
        return result
    }

    static func first<Row>(_ rows: PostgresRowSequence, _ map: (PostgresRandomAccessRow) throws -> Row) async throws -> Row? {
        for try await row in rows { return try map(row.makeRandomAccess()) }
        return nil
    }
}

extension PostgresRandomAccessRow {
    /// The column `name` as `T` (an optional type for a nullable column).
    func get<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws -> T { try self[name].decode(T.self) }
}
