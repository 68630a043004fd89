/// A validated `promote.yaml` (DESIGN.md section 3), with every default resolved.
public struct PromoteConfig: Sendable, Hashable {
    /// The file it was read from, for messages.
    public var file: String
    public var repository: RepositorySettings
    public var forge: ForgeSettings
    public var author: Signature
    /// In promotion order.
    public var environments: [EnvironmentSettings]
    public var models: [String: ModelSettings]
    public var service: ServiceSettings

    public init(
        file: String, repository: RepositorySettings, forge: ForgeSettings, author: Signature,
        environments: [EnvironmentSettings], models: [String: ModelSettings] = [:], service: ServiceSettings = ServiceSettings()
    ) {
        self.file = file
        self.repository = repository
        self.forge = forge
        self.author = author
        self.environments = environments
        self.models = models
        self.service = service
    }

    /// The environment called `name`.
    public func environment(named name: String) -> EnvironmentSettings? { environments.first { $0.name == name } }

    /// The per-model settings (empty when the model is not declared).
    public func model(_ name: String) -> ModelSettings { models[name] ?? ModelSettings() }

    /// The gates that apply to `model` in `environment`: the environment's, each overridden by the model's gate on
    /// the same metric (a model's `none` removes it), plus the model's gates on other metrics. Every environment
    /// mode is gated: a failing gate blocks a push as it blocks a pull request.
    public func gates(model: String, environment: EnvironmentSettings) -> [MetricGate] {
        let own = self.model(model).gates
        var gates = environment.gates.filter { gate in !own.contains { $0.metric == gate.metric } }
        gates += own.compactMap(\.gate)
        return gates
    }

    /// The environments a release goes to when it names none: every `push` environment in order, then the first
    /// `pull-request` environment after the last of them.
    public var defaultPath: [EnvironmentSettings] {
        var path: [EnvironmentSettings] = []
        for env in environments {
            if env.mode == .push {
                path.append(env)
            } else {
                path.append(env)
                break
            }
        }
        return path
    }

    /// The spec path of `model` in `environment`.
    public func specPath(model: String, environment: EnvironmentSettings) -> String {
        let template = models[model]?.path ?? environment.path
        return template.replacingPlaceholders(["model": model, "env": environment.name])
    }
}

extension String {
    /// Replaces `{name}` placeholders; unknown names stay as written.
    public func replacingPlaceholders(_ values: [String: String]) -> String {
        var out = ""
        var rest = self[...]
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = String(rest[rest.index(after: open)..<close])
            out += values[name] ?? "{\(name)}"
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}
