import Foundation
import Promotion
import Service

extension DoctorCommand {
    /// The checks of `env`'s `verify` sources, through the same adapter the engine uses: its token variables are set;
    /// Argo CD answers with that token and knows the application of each declared model (`models:`; with none, a probe
    /// name's 404 shows that Argo CD answers and takes the token); Prometheus
    /// answers and runs every query (rendered for the first declared model, version `0`), naming a PromQL error.
    /// An empty result is fine here: the doctor asks whether a query runs, not whether it holds.
    static func verifySources(
        _ env: EnvironmentSettings, config: PromoteConfig, sources: any DeploymentChecks, environment: [String: String]
    ) async -> [ServiceReadiness.Check] {
        guard let verify = env.verify else { return [] }
        var checks: [ServiceReadiness.Check] = []
        let models = config.models.keys.sorted()
        for variable in [verify.argoCD?.tokenEnv, verify.prometheus?.tokenEnv].compactMap({ $0 }) {
            let set = !(environment[variable] ?? "").isEmpty
            checks.append(.init(name: "\(env.name): $\(variable)", ok: set, detail: set ? "set" : "not set"))
        }
        if let argo = verify.argoCD {
            let name = "\(env.name): argocd"
            if models.isEmpty {
                // No declared model, so no application to look up: Argo CD's own 404 for a probe name still shows that it
                // answers and takes the token.
                let probe = argo.applicationName(model: "promote-doctor-probe", environment: env.name)
                do {
                    _ = try await sources.argoCDApplication(argo, name: probe)
                    checks.append(.init(name: name, ok: true, detail: "\(argo.url) answers (application \(probe) exists)"))
                } catch let error as CheckUnavailable where error.kind == .notFound {
                    checks.append(.init(
                        name: name, ok: true,
                        detail: "\(argo.url) answers and takes the token; declare models under models: to look their applications up"))
                } catch {
                    checks.append(.init(name: name, ok: false, detail: Self.unavailable(error)))
                }
            }
            for model in models {
                let application = argo.applicationName(model: model, environment: env.name)
                do {
                    let state = try await sources.argoCDApplication(argo, name: application)
                    let revision = state.revision ?? (state.revisions.isEmpty ? "no revision" : state.revisions.joined(separator: ", "))
                    checks.append(.init(
                        name: name, ok: true,
                        detail: "\(argo.url) application \(application): \(state.syncStatus) at \(revision), \(state.healthStatus)"))
                } catch {
                    checks.append(.init(name: name, ok: false, detail: Self.unavailable(error)))
                }
            }
        }
        if let prometheus = verify.prometheus {
            let model = models.first ?? "promote-doctor-probe"
            for query in prometheus.queries {
                let name = "\(env.name): prometheus \(query.name)"
                do {
                    let samples = try await sources.prometheusQuery(
                        prometheus, query: query.promQL(model: model, environment: env.name, version: "0"))
                    checks.append(.init(
                        name: name, ok: true,
                        detail: "\(prometheus.url) runs the query (\(samples.count) series now; expect \(query.expect))"))
                } catch {
                    checks.append(.init(name: name, ok: false, detail: Self.unavailable(error)))
                }
            }
        }
        return checks
    }

    /// `kind: request failed: message` for a check that could not run.
    static func unavailable(_ error: any Error) -> String {
        guard let error = error as? CheckUnavailable else { return "\(error)" }
        return "\(error.kind.rawValue): \(error)"
    }
}
