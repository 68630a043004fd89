import ArgumentParser
import Foundation
import Promotion

/// `promote rollback MODEL --env ENV [--to VERSION]`: promote an earlier version through the same path.
struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Put an earlier version of a model back into one environment (a push, or a pull request).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var actor: ActorOptions
    @Argument(help: "The model name.") var model: String
    @Option(help: ArgumentHelp("The environment to roll back.", valueName: "env")) var env: String
    @Option(help: ArgumentHelp("The version to go back to (default: the one before the current).", valueName: "version"))
    var to: String?
    @Flag(name: .customLong("dry-run"), help: "Print the plan; change nothing.") var dryRun = false
    @Flag(help: "Print the outcome as JSON.") var json = false

    func run() async throws {
        try await CLIFailure.reporting(json: json) {
            let app = try await Composition(configPath: global.config)
            let target = try await RollbackPlanner(engine: app.engine).target(model: model, environment: env, version: to)
            let request = try ReleaseRequest.validated(
                model: model, version: target.version, uri: target.uri, metrics: target.metrics,
                source: .init(pipeline: "rollback"),
                idempotencyKey: "\(ReleaseRequest.rollbackKeyPrefix)\(env):\(model)@\(target.version):\(Int(Date().timeIntervalSince1970))",
                environments: [env])
            let options = PromotionOptions(dryRun: dryRun, force: true, isRollback: true, origin: actor.resolved())
            let report = try await app.writingRepositories(dryRun: dryRun) { try await app.engine.release(request, options: options) }
            print(json ? ReportPrinter.json(report, dryRun: dryRun, config: app.config) : ReportPrinter.text(report, dryRun: dryRun))
        }
    }
}
