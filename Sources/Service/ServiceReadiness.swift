public import Promotion
internal import WebhookSignatures

/// What `promote doctor` checks of the `service:` section, so that a setup `promote serve` would refuse (or that
/// would refuse every delivery) is found before it runs: intake secrets and tokens set and well-formed, the MLflow
/// secret set, MLflow answering, the listen address free.
public struct ServiceReadiness: Sendable {
    /// One check's verdict.
    public struct Check: Sendable, Hashable, Encodable {
        public var name: String
        public var ok: Bool
        public var detail: String

        public init(name: String, ok: Bool, detail: String) {
            self.name = name
            self.ok = ok
            self.detail = detail
        }
    }

    let settings: ServiceSettings
    let environment: [String: String]

    public init(settings: ServiceSettings, environment: [String: String]) {
        self.settings = settings
        self.environment = environment
    }

    /// The checks that need no network (secrets, tokens, listen address).
    public func localChecks() -> [Check] {
        var checks: [Check] = []
        if settings.intakeSecretsEnv.isEmpty, settings.intakeTokensEnv.isEmpty {
            checks.append(Check(
                name: "service: intake", ok: false,
                detail: "no service.intake.secretsEnv or tokensEnv: promote serve refuses to start without --allow-unauthenticated"))
        }
        for name in settings.intakeSecretsEnv {
            checks.append(variable(name, "service.intake.secretsEnv") { value in
                do { _ = try StandardWebhookVerifier(secrets: [value]) } catch {
                    return "\(error) (a Standard Webhooks secret is whsec_<base64>)"
                }
                return nil
            })
        }
        for name in settings.intakeTokensEnv {
            checks.append(variable(name, "service.intake.tokensEnv") { value in
                do { _ = try BearerTokenVerifier(tokens: [value]) } catch { return "\(error)" }
                return nil
            })
        }
        if let mlflow = settings.mlflow {
            if let name = mlflow.secretEnv {
                checks.append(variable(name, "service.mlflow.secretEnv") { value in
                    do { _ = try MLflowSignatureVerifier(secret: value) } catch { return "\(error)" }
                    return nil
                })
            } else {
                checks.append(Check(
                    name: "service: mlflow secret", ok: false,
                    detail: "service.mlflow.secretEnv is not set: promote serve refuses MLflow webhooks without --allow-unauthenticated"))
            }
        }
        do {
            let (host, port) = try PromoteServer.parseListen(settings.listen)
            try ListenProbe.check(host: host, port: port)
            checks.append(Check(name: "service: listen", ok: true, detail: "\(settings.listen) is free"))
        } catch {
            checks.append(Check(name: "service: listen", ok: false, detail: "\(error)"))
        }
        return checks
    }

    /// Asks the registry for an alias of a model nobody has: an answer (found or not) proves MLflow is reachable
    /// and takes the token.
    public func registryCheck(_ registry: any ModelRegistry) async -> Check {
        guard let mlflow = settings.mlflow else { return Check(name: "service: mlflow", ok: true, detail: "not configured") }
        do {
            _ = try await registry.version(model: "promote-doctor-probe", alias: "promote-doctor-probe")
        } catch let error as RegistryError where error.kind == .notFound {
        } catch {
            return Check(name: "service: mlflow", ok: false, detail: "\(redactUserInfo(mlflow.url)): \(error)")
        }
        return Check(name: "service: mlflow", ok: true, detail: "\(redactUserInfo(mlflow.url)) answers")
    }

    private func variable(_ name: String, _ key: String, _ problem: (String) -> String?) -> Check {
        guard let value = environment[name], !value.isEmpty else {
            return Check(name: "service: $\(name)", ok: false, detail: "not set (named by \(key))")
        }
        if let problem = problem(value) { return Check(name: "service: $\(name)", ok: false, detail: problem) }
        return Check(name: "service: $\(name)", ok: true, detail: "set and well-formed")
    }
}
