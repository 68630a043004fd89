internal import Foundation

/// Reads what model specs hold on one branch snapshot: pure over ``RepositorySnapshot``.
public enum SpecReading {
    /// A release used only to locate the model in a spec: its plan's `previousValue` is what the spec holds now.
    static func probe(model: String) -> ReleaseRequest? {
        try? ReleaseRequest.validated(model: model, version: "0.0.0-promote-status-probe", uri: "gs://promote-status-probe/0")
    }

    /// What `model`'s spec in `env` holds on `snapshot`.
    public static func read(
        model: String, env: EnvironmentSettings, config: PromoteConfig, snapshot: any RepositorySnapshot, cache: SpecParseCache
    ) -> StatusReport.Spec {
        let path = config.specPath(model: model, environment: env)
        var spec = StatusReport.Spec(path: path, state: "missing", commit: snapshot.commit)
        guard let request = probe(model: model) else {
            spec.state = "unreadable"
            spec.error = "'\(model)' is not a valid model name"
            return spec
        }
        do {
            guard case .file = try snapshot.entry(at: path) else { return spec }
            let plan = try SpecPlanner.plan(snapshot: snapshot, config: config, environment: env, request: request, cache: cache)
            spec.state = "present"
            spec.value = plan?.previousValue
            spec.version = plan?.previousValue.map(SpecPlanner.versionGuess(from:))
        } catch {
            spec.state = "unreadable"
            spec.error = "\(error)"
        }
        return spec
    }

    /// The models that have a spec in `env` on `snapshot`, found by listing the directory where the environment's
    /// path template puts `{model}` (e.g. `environments/staging/{model}.yaml`, `deploy/{env}/{model}/values.yaml`).
    public static func models(in env: EnvironmentSettings, snapshot: any RepositorySnapshot) -> [String] {
        let components = env.path.replacingPlaceholders(["env": env.name]).split(separator: "/").map(String.init)
        guard let index = components.firstIndex(where: { $0.contains("{model}") }),
            let marker = components[index].range(of: "{model}")
        else { return [] }
        let directory = components[..<index].joined(separator: "/")
        let prefix = String(components[index][..<marker.lowerBound])
        let suffix = String(components[index][marker.upperBound...])
        let rest = components[(index + 1)...]
        guard let names = try? snapshot.list(directory: directory) else { return [] }
        return names.compactMap { name -> String? in
            guard name.count > prefix.count + suffix.count, name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
            let model = String(name.dropFirst(prefix.count).dropLast(suffix.count))
            guard InputRules.modelNameProblem(model) == nil else { return nil }
            if !rest.isEmpty {
                let path = ([directory, name].filter { !$0.isEmpty } + rest.map { $0.replacingPlaceholders(["model": model]) }).joined(separator: "/")
                guard case .file? = try? snapshot.entry(at: path) else { return nil }
            }
            return model
        }
    }
}
