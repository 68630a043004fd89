import ArgumentParser
import Testing
@testable import PromoteCLI

/// The command tree of DESIGN.md section 4, checked by parsing (no command runs).
@Suite struct CommandParsingTests {
    @Test func releaseTakesEveryOption() throws {
        let command = try PromoteCommand.parseAsRoot([
            "release", "jukebox", "1.4.2", "--uri", "gs://models/jukebox/1.4.2", "--metric", "accuracy=0.93", "--metric", "f1=0.9",
            "--source-commit", "0123abcd", "--run-url", "https://ci/run/1", "--to", "staging", "--to", "production",
            "--dry-run", "--force", "--json", "--config", "p.yaml",
        ])
        let release = try #require(command as? ReleaseCommand)
        #expect(release.model == "jukebox" && release.version == "1.4.2" && release.uri == "gs://models/jukebox/1.4.2")
        #expect(release.metrics == ["accuracy=0.93", "f1=0.9"] && release.environments == ["staging", "production"])
        #expect(release.dryRun && release.force && release.json && release.global.config == "p.yaml")
    }

    @Test func releaseRefusesAMalformedMetricAsAUsageError() {
        #expect(throws: (any Error).self) {
            try PromoteCommand.parseAsRoot(["release", "m", "1", "--uri", "gs://m/1", "--metric", "accuracy"])
        }
        #expect(PromoteCommand.exitCode(for: ValidationError("x")) == .validationFailure)
        #expect(ExitCode.validationFailure.rawValue == 64)
    }

    @Test func versionMustBeGivenAsText() throws {
        let release = try #require(try PromoteCommand.parseAsRoot(["release", "m", "1.10", "--uri", "gs://m/1.10"]) as? ReleaseCommand)
        #expect(release.version == "1.10")
    }

    @Test(arguments: [
        (["status"], "status"), (["status", "jukebox", "--json"], "status"), (["history", "jukebox", "--json"], "history"),
        (["rollback", "jukebox", "--env", "production", "--to", "1.4.1"], "rollback"), (["reconcile", "--dry-run", "--json"], "reconcile"),
        (["config", "validate", "promote.yaml"], "validate"), (["ledger", "rebuild", "--dry-run"], "rebuild"), (["doctor"], "doctor"),
        (["audit"], "audit"), (["audit", "jukebox", "--since", "24h", "--json"], "audit"),
        (["audit", "--since", "2026-12-04T10:00:00Z"], "audit"), (["release", "m", "1.0", "--uri", "gs://m/1.0", "--actor", "ci@runner"], "release"),
    ])
    func everyCommandParses(_ arguments: [String], _ name: String) throws {
        let command = try PromoteCommand.parseAsRoot(arguments)
        #expect(type(of: command).configuration.commandName == name || String(describing: type(of: command)).lowercased() == name)
    }

    @Test func auditRefusesAnUnreadableSinceAndReleaseAnEmptyActor() {
        #expect(throws: (any Error).self) { try PromoteCommand.parseAsRoot(["audit", "--since", "yesterday"]) }
        #expect(throws: (any Error).self) { try PromoteCommand.parseAsRoot(["release", "m", "1.0", "--uri", "gs://m/1.0", "--actor", ""]) }
    }

    @Test func rollbackNeedsAnEnvironment() {
        #expect(throws: (any Error).self) { try PromoteCommand.parseAsRoot(["rollback", "jukebox"]) }
    }

    @Test func metricParsing() {
        #expect(ReleaseCommand.parseMetric("accuracy=0.93")! == ("accuracy", 0.93))
        #expect(ReleaseCommand.parseMetric("latency=2.5e2")! == ("latency", 250))
        #expect(ReleaseCommand.parseMetric("accuracy") == nil)
        #expect(ReleaseCommand.parseMetric("x=nan") == nil)
    }
}
