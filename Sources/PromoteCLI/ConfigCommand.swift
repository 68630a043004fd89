import ArgumentParser
import Promotion

/// `promote config validate [FILE]`: checks a configuration without touching anything.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Work with promote.yaml.", subcommands: [Validate.self])

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a configuration file: every problem with its line, key and fix. Touches nothing.")

        @Argument(help: "The file (default: --config, $PROMOTE_CONFIG, else ./promote.yaml).") var file: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await CLIFailure.reporting {
                let config = try ConfigLoader.load(file ?? global.config)
                let envs = config.environments.map { "\($0.name) (\($0.mode.rawValue))" }.joined(separator: ", ")
                print("\(config.file): OK: \(config.environments.count) environment(s): \(envs); \(config.models.count) declared model(s); forge: \(config.forge.kind.rawValue)")
                // What the gates are, per environment, and for each model that overrides them.
                for env in config.environments {
                    print("gates in \(env.name): " + Self.describe(env.gates))
                    for model in config.models.keys.sorted() where !config.model(model).gates.isEmpty {
                        print("gates for \(model) in \(env.name): " + Self.describe(config.gates(model: model, environment: env)))
                    }
                }
            }
        }

        static func describe(_ gates: [MetricGate]) -> String {
            gates.isEmpty ? "none" : gates.map { "\($0.metric) \($0.expression)" }.joined(separator: ", ")
        }
    }
}
