import DeploymentChecks
import Forges
import Foundation
import GitOpsRepo
import Logging
import MLflowRegistry
import Promotion
import Store
import Synchronization

/// The composition root of the CLI: configuration, the state store, and the engine wired to the real adapters
/// (libgit2 mirrors, libcurl forge clients). Built once per command.
struct Composition {
    let config: PromoteConfig
    let store: any PromotionStore
    /// Where the store lives, without credentials (`/path/promote.db`, `postgres://user@host:port/db`).
    let storeLocation: String
    /// `promote serve`'s claim on a SQLite file (nil for CLI commands, and on PostgreSQL).
    let serveLock: SQLiteServeLock?
    let engine: PromotionEngine
    let environment: [String: String]

    /// `replica` names the `promote serve` replica in the audit log; `serving` takes the SQLite file's serve lock
    /// (a second `promote serve` on one file is refused).
    init(
        configPath: String?, environment: [String: String] = ProcessInfo.processInfo.environment, replica: String? = nil,
        serving: Bool = false
    ) async throws {
        self.environment = environment
        config = try ConfigLoader.load(configPath)
        (store, storeLocation, serveLock) = try await Self.openStore(config.service, environment: environment, replica: replica, serving: serving)
        let repositories = RepositoryRegistry(author: config.author, environment: environment)
        let forges = ForgeRegistry(environment: environment)
        var engine = PromotionEngine(
            config: config, store: store,
            repository: { try repositories.repository(for: $0) },
            forge: { try forges.client(for: $0) })
        if config.environments.contains(where: { $0.verify != nil }) {  // its curl threads only where a check can run
            engine.deploymentChecks = DeploymentChecksClient(config: config, environment: environment, logger: Logger(label: "promote.checks"))
        }
        self.engine = engine
    }

    /// Opens `service.state`: PostgreSQL for a `postgres://` URL (password from `service.statePasswordEnv` or
    /// `PGPASSWORD`), else the SQLite file (locked first when `serving`).
    static func openStore(
        _ settings: ServiceSettings, environment: [String: String], replica: String?, serving: Bool
    ) async throws -> (store: any PromotionStore, location: String, lock: SQLiteServeLock?) {
        if let state = settings.state, StoreLocation.isPostgres(state) {
            let location = try PostgresLocation(url: state)
            let store = try await PostgresStore(
                location: location, password: try location.password(passwordEnv: settings.statePasswordEnv, environment: environment),
                replica: replica, logger: Logger(label: "promote.store"))
            return (store, store.location, nil)
        }
        let path = try StoreLocation.path(for: settings.state, environment: environment)
        let store = try SQLiteStore(path: path, replica: replica)
        return (store, path, serving ? try SQLiteServeLock(databasePath: path) : nil)
    }

    /// The MLflow registry client when `service.mlflow` is configured.
    func registry() throws -> (any ModelRegistry)? {
        guard let settings = config.service.mlflow else { return nil }
        if let name = settings.tokenEnv, (environment[name] ?? "").isEmpty {
            throw CLIFailure("the MLflow token is not set: export \(name) (named by service.mlflow.tokenEnv)")
        }
        return MLflowClient(settings: settings, environment: environment, logger: Logger(label: "promote.mlflow"))
    }

    /// The sources of the environments' `verify` checks (Argo CD, Prometheus), their tokens read from the variables
    /// the config names.
    func deploymentChecks() -> any DeploymentChecks {
        DeploymentChecksClient(config: config, environment: environment, logger: Logger(label: "promote.checks"))
    }
}

/// One git mirror per repository URL, created on first use and shared by every environment that names it.
final class RepositoryRegistry: Sendable {
    /// The user name sent with an HTTPS token when the config names no `usernameEnv` (forges ignore it for tokens).
    static let defaultUserVariable = "PROMOTE_INTERNAL_DEFAULT_GIT_USER"

    private let mirrors = Mutex<[String: GitMirror]>([:])
    private let author: Signature
    private let environment: [String: String]

    init(author: Signature, environment: [String: String]) {
        self.author = author
        var environment = environment
        environment[Self.defaultUserVariable] = "x-access-token"
        self.environment = environment
    }

    func repository(for settings: RepositorySettings) throws -> any GitOpsRepository {
        try mirrors.withLock { mirrors in
            if let mirror = mirrors[settings.url] { return mirror }
            let credentials: GitCredentials
            switch settings.credentials {
            case .none:
                credentials = .none
            case .userPassword(let userEnv, let passwordEnv):
                credentials = .https(usernameEnv: userEnv ?? Self.defaultUserVariable, passwordEnv: passwordEnv)
            case .sshKey(let user, let keyFile, let knownHosts, let pinned):
                credentials = .ssh(SSHCredentials(
                    user: user ?? "git", keyFile: keyFile, knownHostsFile: knownHosts, hostKeyFingerprints: pinned.map { [$0] } ?? []))
            }
            let timeouts = GitTimeouts(
                connect: .milliseconds(Int(settings.connectTimeout * 1000)), idle: .milliseconds(Int(settings.idleTimeout * 1000)))
            let mirror = try GitMirror(
                config: GitRepositoryConfig(
                    url: settings.url, credentials: credentials, timeouts: timeouts, committer: author, progress: GitTransfer.terminalPrinter,
                    logger: Logger(label: "promote.git")),
                environment: environment)
            mirrors[settings.url] = mirror
            return mirror
        }
    }
}

/// One forge client per (API, project), with its token read from the environment variable the config names.
final class ForgeRegistry: Sendable {
    private let clients = Mutex<[String: any ForgeAdapter]>([:])
    private let environment: [String: String]

    init(environment: [String: String]) { self.environment = environment }

    func client(for env: EnvironmentSettings) throws -> any ForgeClient {
        let settings = env.forge
        guard settings.kind != .none, let kind = ForgeKind(rawValue: settings.kind.rawValue) else {
            throw CLIFailure("environment '\(env.name)' opens pull requests but no forge is configured (forge: {type: github, ...})")
        }
        guard let project = settings.project, let tokenEnv = settings.tokenEnv else {
            throw CLIFailure("forge.project and forge.tokenEnv are required for environment '\(env.name)'")
        }
        guard let token = environment[tokenEnv], !token.isEmpty else {
            throw CLIFailure("the forge token is not set: export \(tokenEnv) (named by forge.tokenEnv)")
        }
        let key = "\(kind.rawValue) \(settings.api ?? "") \(project)"
        return clients.withLock { clients in
            if let client = clients[key] { return client }
            let client = Forges.makeClient(ForgeConfig(
                kind: kind, apiBase: settings.api, project: project, token: token, tokenSource: tokenEnv,
                userAgent: "promote/\(PromoteVersion.current)", logger: Logger(label: "promote.forges")))
            clients[key] = client
            return client
        }
    }
}
