import ArgumentParser
import Foundation
import Promotion
import Store

/// `promote doctor`: checks the configuration, the credentials it names, and that every repository and forge answers.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the configuration, credentials, repositories and forges; change nothing.",
        discussion: "Prints one line per check. Exit status 0 when every check passes, 1 otherwise.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        var failed = false
        func report(_ ok: Bool, _ what: String, _ detail: String) {
            print("\(ok ? "ok  " : "FAIL")  \(what): \(detail)")
            if !ok { failed = true }
        }
        let app: Composition
        do {
            app = try Composition(configPath: global.config)
            report(true, "config", "\(app.config.file): \(app.config.environments.count) environment(s)")
        } catch {
            report(false, "config", "\(error)")
            throw ExitCode.failure
        }
        report(true, "state", app.store.location)
        let environment = ProcessInfo.processInfo.environment
        var checkedRepositories = Set<String>()
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
        }
        if failed { throw ExitCode.failure }
    }

    static func variables(_ credentials: RepositorySettings.Credentials) -> [String] {
        switch credentials {
        case .none, .sshKey: []
        case .userPassword(let user, let password): [user, password].compactMap { $0 }
        }
    }
}
