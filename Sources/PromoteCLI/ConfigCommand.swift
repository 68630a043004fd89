import ArgumentParser
import Promotion
import Service

/// `promote config validate [FILE]`: checks a configuration without touching anything.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Work with promote.yaml.", subcommands: [Validate.self])

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a configuration file: every problem with its line, key and fix. Touches nothing.")

        @Argument(help: "The file (default: --config, $PROMOTE_CONFIG, else ./promote.yaml).") var file: String?
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print the result (or the problems) as JSON.") var json = false

        func run() async throws {
            try await CLIFailure.reporting(json: json) {
                let config = try ConfigLoader.load(file ?? global.config)
                if json {
                    print(DocumentEncoder.line(ConfigSummaryDocument(config)))
                    return
                }
                let envs = config.environments.map { "\($0.name) (\($0.mode.rawValue))" }.joined(separator: ", ")
                print("\(config.file): OK: \(config.environments.count) environment(s): \(envs); \(config.models.count) declared model(s); forge: \(config.forge.kind.rawValue)")
                // What the gates are, per environment, and for each model that overrides them.
                for env in config.environments {
                    print("gates in \(env.name): " + Self.describe(env.gates))
                    if let verify = env.verify { print("verify in \(env.name): " + Self.describe(verify)) }
                    for model in config.models.keys.sorted() where !config.model(model).gates.isEmpty {
                        print("gates for \(model) in \(env.name): " + Self.describe(config.gates(model: model, environment: env)))
                    }
                }
            }
        }

        /// `for 10m every 1m: argocd {model}-staging at https://argocd.example; prometheus http://prom:9090: error-rate < 0.01`.
        static func describe(_ verify: VerifySettings) -> String {
            var sources: [String] = []
            if let argo = verify.argoCD { sources.append("argocd \(argo.application) at \(argo.url)") }
            if let prometheus = verify.prometheus {
                sources.append("prometheus \(prometheus.url): " + prometheus.queries.map { "\($0.name) \($0.expect)" }.joined(separator: ", "))
            }
            let window = "for \(verify.holdFor.components.seconds)s every \(verify.every.components.seconds)s"
            return window + ": " + sources.joined(separator: "; ")
        }

        static func describe(_ gates: [MetricGate]) -> String {
            gates.isEmpty ? "none" : gates.map { "\($0.metric) \($0.expression)" }.joined(separator: ", ")
        }
    }
}

/// `promote config validate --json` for a valid file: what it configures.
struct ConfigSummaryDocument: Encodable {
    struct Environment: Encodable {
        var name: String
        var mode: String
    }

    var file: String
    var valid = true
    var environments: [Environment]
    var models: [String]
    var forge: String

    init(_ config: PromoteConfig) {
        file = config.file
        environments = config.environments.map { Environment(name: $0.name, mode: $0.mode.rawValue) }
        models = config.models.keys.sorted()
        forge = config.forge.kind.rawValue
    }
}
