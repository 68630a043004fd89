import ArgumentParser
import Foundation
import Promotion
import Service

/// `promote release MODEL VERSION --uri URI ...`: the path a CI event takes, from a shell.
struct ReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Promote a model version: push every push environment, then open or update the pull request for the next one.",
        discussion: """
            Idempotent: running it again with the same arguments changes nothing. A newer version updates the open \
            pull request. Exit status: 0 done or awaiting review, 1 refused or failed (reason on stderr), 64 usage.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var actor: ActorOptions

    @Argument(help: "The model name (letters, digits, '.', '_', '-').") var model: String
    @Argument(help: "The version, as a string (1.4.2, 12, v3.1.0).") var version: String
    @Option(help: ArgumentHelp("Where the artifact is (gs://, s3://, https://, oci://, hf://, pvc://).", valueName: "uri")) var uri: String
    @Option(name: .customLong("metric"), help: ArgumentHelp("A metric of this version, repeatable.", valueName: "name=value"))
    var metrics: [String] = []
    @Option(name: .customLong("source-commit"), help: ArgumentHelp("The commit the model was trained from.", valueName: "sha"))
    var sourceCommit: String?
    @Option(name: .customLong("run-url"), help: ArgumentHelp("A link to the training run.", valueName: "url")) var runURL: String?
    @Option(help: ArgumentHelp("The pipeline that produced it.", valueName: "name")) var pipeline: String?
    @Option(name: .customLong("idempotency-key"), help: ArgumentHelp("The same key again means the same promotion (default: model@version uri).", valueName: "key"))
    var idempotencyKey: String?
    @Option(name: .customLong("to"), help: ArgumentHelp("Only these environments (repeatable), in promotion order.", valueName: "env"))
    var environments: [String] = []
    @Flag(name: .customLong("dry-run"), help: "Print the plan, the diffs and the pull request text; change nothing.") var dryRun = false
    @Flag(help: "Open the pull request even when a metric gate fails (the body says so).") var force = false
    @Flag(help: "Print the outcome as JSON.") var json = false
    @Flag(name: .customLong("skip-stages"), help: "Enter the --to environments although the version is not verified in their `from` (needs --reason).")
    var skipStages = false
    @Option(help: ArgumentHelp("Why the stages are skipped: kept in the audit log, the PR body and a Promote-Skipped-Stages trailer.", valueName: "text"))
    var reason: String?

    func validate() throws {
        if skipStages, reason == nil { throw ValidationError("--skip-stages needs --reason TEXT: say why the stages are skipped") }
        if reason != nil, !skipStages { throw ValidationError("--reason goes with --skip-stages") }
        if skipStages, environments.isEmpty { throw ValidationError("--skip-stages needs --to ENV: name where the version goes") }
        for metric in metrics where Self.parseMetric(metric) == nil {
            throw ValidationError("--metric '\(metric)' must be name=number, e.g. --metric accuracy=0.93")
        }
    }

    static func parseMetric(_ text: String) -> (String, Double)? {
        guard let eq = text.firstIndex(of: "="), let value = Double(text[text.index(after: eq)...]), value.isFinite else { return nil }
        return (String(text[..<eq]), value)
    }

    func run() async throws {
        try await CLIFailure.reporting(json: json) {
            let request = try ReleaseRequest.validated(
                model: model, version: version, uri: uri,
                metrics: Dictionary(metrics.compactMap(Self.parseMetric), uniquingKeysWith: { _, last in last }),
                source: .init(commit: sourceCommit, runURL: runURL, pipeline: pipeline), idempotencyKey: idempotencyKey,
                environments: environments.isEmpty ? nil : environments, skipStagesReason: skipStages ? reason : nil)
            let app = try await Composition(configPath: global.config)
            let options = PromotionOptions(dryRun: dryRun, force: force, origin: actor.resolved())
            let report = try await app.writingRepositories(dryRun: dryRun) { try await app.engine.release(request, options: options) }
            print(json ? ReportPrinter.json(report, dryRun: dryRun, config: app.config) : ReportPrinter.text(report, dryRun: dryRun))
        }
    }
}
