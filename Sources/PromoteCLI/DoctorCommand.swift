import ArgumentParser
import Foundation
import Promotion
import Service
import Store

/// `promote doctor`: checks the configuration, the credentials it names, that every repository and forge answers,
/// and, when the config sets up `promote serve`, its `service:` section.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the configuration, credentials, repositories, forges and the service section; change nothing.",
        discussion: """
            Prints one line per check (--json: {"ok", "checks": [{"name", "ok", "detail"}]}). Exit status 0 when \
            every check passes, 1 otherwise.
            """)

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print the checks as one JSON document.") var json = false

    func run() async throws {
        var checks: [ServiceReadiness.Check] = []
        func report(_ ok: Bool, _ what: String, _ detail: String) {
            checks.append(ServiceReadiness.Check(name: what, ok: ok, detail: detail))
            if !json { print("\(ok ? "ok  " : "FAIL")  \(what): \(detail)") }
        }
        defer {
            if json { print(DocumentEncoder.line(DoctorDocument(checks: checks))) }
        }
        let environment = ProcessInfo.processInfo.environment
        let app: Composition
        do {
            app = try Composition(configPath: global.config, environment: environment)
            report(true, "config", "\(app.config.file): \(app.config.environments.count) environment(s)")
        } catch {
            report(false, "config", "\(error)")
            throw ExitCode.failure
        }
        report(true, "state", app.store.location)
        var checkedRepositories = Set<String>()
        let checkSources = app.config.environments.contains { $0.verify != nil } ? app.deploymentChecks() : nil
        for env in app.config.environments {
            for variable in Self.variables(env.repository.credentials) + (env.mode == .pullRequest ? [env.forge.tokenEnv].compactMap { $0 } : []) {
                let set = !(environment[variable] ?? "").isEmpty
                report(set, "\(env.name): $\(variable)", set ? "set" : "not set")
            }
            if checkedRepositories.insert(env.repository.url).inserted {
                do {
                    let repo = try app.engine.repository(env.repository)
                    try await repo.fetch()
                    let tip = try await repo.snapshot(of: env.repository.branch)?.commit
                    report(tip != nil, "\(env.name): repository", "\(redactUserInfo(env.repository.url)) branch \(env.repository.branch) "
                        + (tip.map { "at \($0.prefix(10))" } ?? "does not exist"))
                } catch {
                    report(false, "\(env.name): repository", "\(error)")
                }
            }
            if env.mode == .pullRequest {
                do {
                    let open = try await app.engine.forge(env).listOpenPullRequests(headPrefix: "promote/\(env.name)/")
                    report(true, "\(env.name): forge", "\(env.forge.kind.rawValue) \(env.forge.project ?? "") answers; \(open.count) open promotion PR(s)")
                } catch {
                    report(false, "\(env.name): forge", "\(error)")
                }
            }
            if let checkSources {
                for check in await Self.verifySources(env, config: app.config, sources: checkSources, environment: environment) {
                    report(check.ok, check.name, check.detail)
                }
            }
        }
        let service = app.config.service
        if Self.configuresService(service) {
            let readiness = ServiceReadiness(settings: service, environment: environment)
            for check in readiness.localChecks() { report(check.ok, check.name, check.detail) }
            if service.mlflow != nil {
                do {
                    if let registry = try app.registry() {
                        let check = await readiness.registryCheck(registry)
                        report(check.ok, check.name, check.detail)
                    }
                } catch {
                    report(false, "service: mlflow", "\(error)")
                }
            }
        }
        if checks.contains(where: { !$0.ok }) { throw ExitCode.failure }
    }

    /// True when the config sets `promote serve` up (intake secrets or tokens, or MLflow): only then is its
    /// `service:` section checked.
    static func configuresService(_ service: ServiceSettings) -> Bool {
        !service.intakeSecretsEnv.isEmpty || !service.intakeTokensEnv.isEmpty || service.mlflow != nil
    }

    static func variables(_ credentials: RepositorySettings.Credentials) -> [String] {
        switch credentials {
        case .none, .sshKey: []
        case .userPassword(let user, let password): [user, password].compactMap { $0 }
        }
    }
}

/// `promote doctor --json`.
struct DoctorDocument: Encodable {
    var ok: Bool
    var checks: [ServiceReadiness.Check]

    init(checks: [ServiceReadiness.Check]) {
        self.checks = checks
        ok = checks.allSatisfy(\.ok)
    }
}
