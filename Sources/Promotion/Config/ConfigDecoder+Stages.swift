extension ConfigDecoder {
    /// What an environment's `from:` says before the environments are linked.
    enum DeclaredFrom: Hashable {
        /// Not written: the environment listed before (none for the first).
        case previous
        /// `from: none`: another entry point.
        case none
        case named(String, line: Int)
    }

    /// An environment's `from`, `promotion`, `soak` and `checks` (`from` is linked by ``linkStages(_:file:sink:)``).
    static func decodeStage(_ r: inout ConfigReader) -> (StageSettings, DeclaredFrom) {
        var declared = DeclaredFrom.previous
        if let node = r.node("from") {
            if case .scalar(let name, _) = node.value {
                declared = name == "none" ? .none : .named(name, line: node.line)
            } else {
                r.report("from", line: node.line, "must name an environment (or none)")
            }
        }
        let written = r.choice("promotion", StageSettings.Promotion.self)
        let soak = r.duration("soak", within: DurationRange(shortest: 0, longest: 365 * 86_400)) ?? 0
        var checksRequired = false
        if var checks = r.mapping("checks") {
            checksRequired = checks.bool("required") ?? false
            checks.finish()
        }
        var stage = StageSettings(promotion: written ?? .auto, soak: soak, checksRequired: checksRequired)
        stage.promotionWritten = written != nil
        return (stage, declared)
    }

    /// An environment that `service.mlflow.aliases` maps an alias to takes a version when a person moves the alias
    /// (DESIGN.md 5: the alias opens its pull request): unless its `promotion:` is written, it is `manual`, so that
    /// `advance` does not carry versions there by itself.
    static func aliasesDecide(_ environments: inout [EnvironmentSettings], service: ServiceSettings) {
        guard let aliased = service.mlflow.map({ Set($0.aliases.values) }) else { return }
        for i in environments.indices where aliased.contains(environments[i].name) && !environments[i].stage.promotionWritten {
            environments[i].stage.promotion = .manual
        }
    }

    /// Resolves every environment's `from` (the one listed before by default) and refuses, with file and line, a
    /// `from` that names no environment, names itself, or closes a cycle.
    static func linkStages(_ environments: inout [EnvironmentSettings], declared: [DeclaredFrom], files: [String], sink: ProblemSink) {
        let names = Set(environments.map(\.name))
        for i in environments.indices {
            switch declared[i] {
            case .previous: environments[i].stage.from = i > 0 ? environments[i - 1].name : nil
            case .none: environments[i].stage.from = nil
            case .named(let name, let line):
                environments[i].stage.fromLine = line
                if !names.contains(name) {
                    let known = environments.map(\.name).joined(separator: ", ")
                    sink.add(files[i], line, "environments.\(environments[i].name).from", "'\(name)' is not an environment (configured: \(known))")
                } else if name == environments[i].name {
                    sink.add(files[i], line, "environments.\(environments[i].name).from", "an environment cannot come from itself")
                } else {
                    environments[i].stage.from = name
                }
            }
        }
        let from = Dictionary(environments.map { ($0.name, $0.stage.from) }, uniquingKeysWith: { first, _ in first })
        var reported = Set<String>()
        for (i, env) in environments.enumerated() {
            var path = [env.name]
            var next = env.stage.from
            while let current = next, !reported.contains(env.name) {
                if current == env.name {
                    path.append(current)
                    reported.formUnion(path)
                    sink.add(files[i], env.stage.fromLine, "environments.\(env.name).from", "the stages form a cycle: " + path.joined(separator: " <- "))
                    break
                }
                if path.contains(current) { break }  // a cycle that does not pass through this environment
                path.append(current)
                next = from[current] ?? nil
            }
        }
    }
}
