import Foundation
import Testing
import Promotion
import Store
import TestSupport

/// Each kind of drift, made by hand in the in-memory repository and forge, then reconciled under each policy.
@Suite struct ReconcilerTests {
    let stagingPath = "environments/staging/jukebox.yaml"
    let productionPath = "environments/production/jukebox.yaml"

    func world(staging: String = "repair", production: String = "repair") throws -> PromotionEngineTests.World {
        let config = PromotionEngineTests.configYAML
            .replacingOccurrences(of: "    mode: push\n", with: "    mode: push\n    drift: \(staging)\n")
            .replacingOccurrences(of: "    mode: pull-request\n", with: "    mode: pull-request\n    drift: \(production)\n")
        return try PromotionEngineTests().world(config: config)
    }

    func release(_ w: PromotionEngineTests.World, _ version: String) async throws {
        _ = try await w.engine.release(try PromotionEngineTests().request(version))
    }

    func kinds(_ findings: [DriftFinding]) -> [String] {
        findings.map { "\($0.environment):\($0.kind.rawValue):\($0.action.rawValue)" }.sorted()
    }

    @Test func cleanRepositoryHasNoDrift() async throws {
        let w = try world()
        try await release(w, "1.4.2")
        #expect(try await Reconciler(engine: w.engine).run().isEmpty)
    }

    @Test func revertedStagingPushIsBehindAndRepaired() async throws {
        let w = try world()
        try await release(w, "1.4.2")
        try await release(w, "1.4.3")
        let old = try #require(w.repo.file(stagingPath, on: "main")).replacingOccurrences(of: "1.4.3", with: "1.4.2")
        w.repo.commitDirectly(branch: "main", files: [stagingPath: old], message: "Revert \"Promote jukebox 1.4.3 to staging\"")
        let dry = try await Reconciler(engine: w.engine).run(dryRun: true)
        #expect(kinds(dry) == ["staging:behind:none"])
        #expect(w.repo.file(stagingPath, on: "main")?.contains("1.4.2") == true, "a dry run changes nothing")
        let findings = try await Reconciler(engine: w.engine).run()
        #expect(kinds(findings) == ["staging:behind:repaired"])
        #expect(findings.first?.expected == "1.4.3" && findings.first?.actual == "gs://models/jukebox/1.4.2")
        #expect(w.repo.file(stagingPath, on: "main")?.contains("1.4.3") == true)
        #expect(try await Reconciler(engine: w.engine).run().isEmpty)
    }

    @Test func lastRunsFindingsAreStoredAndDryRunsLeaveThem() async throws {
        let w = try world(staging: "report")
        try await release(w, "1.4.2")
        #expect(try await w.store.lastReconciliation() == nil)
        let edited = try #require(w.repo.file(stagingPath, on: "main")).replacingOccurrences(of: "gs://models/jukebox/1.4.2", with: "gs://hotfix/x")
        w.repo.commitDirectly(branch: "main", files: [stagingPath: edited], message: "hotfix by hand")
        _ = try await Reconciler(engine: w.engine).run(dryRun: true)
        #expect(try await w.store.drift(model: nil).isEmpty, "a dry run stores nothing")
        #expect(try await w.store.lastReconciliation() == nil)
        _ = try await Reconciler(engine: w.engine).run()
        #expect(try await w.store.drift(model: "jukebox").map { "\($0.finding.environment):\($0.finding.kind.rawValue)" } == ["staging:manual-edit"])
        // Undone by hand: the next run finds nothing and the stored drift is gone.
        w.repo.commitDirectly(branch: "main", files: [stagingPath: edited.replacingOccurrences(of: "gs://hotfix/x", with: "gs://models/jukebox/1.4.2")],
                              message: "undo hotfix")
        #expect(try await Reconciler(engine: w.engine).run().isEmpty)
        #expect(try await w.store.drift(model: nil).isEmpty)
        #expect(try await w.store.lastReconciliation() != nil)
    }

    @Test func onePassReadsEachBranchOnceAndListsPullRequestsOnce() async throws {
        let w = try world()
        try await release(w, "1.4.2")
        let before = w.forge.calls.count
        let report = try await Reconciler(engine: w.engine).reconcile()
        let statistics = report.statistics
        #expect(report.findings.isEmpty && report.failures.isEmpty)
        // staging: main; production: main and the bot's branch of the open pull request.
        #expect(statistics.fetches == 1 && statistics.snapshots == 3 && statistics.checked == 2)
        // The staging spec, the production spec on main and on the bot's branch: each parsed once.
        #expect(statistics.parses == 3)
        #expect(statistics.forgeReads == 1)
        #expect(Array(w.forge.calls.dropFirst(before)) == ["list"])
    }

    @Test func manualEditIsReportedUnderRepairAndOverwrittenUnderEnforce() async throws {
        for policy in ["repair", "enforce"] {
            let w = try world(staging: policy)
            try await release(w, "1.4.2")
            let edited = try #require(w.repo.file(stagingPath, on: "main")).replacingOccurrences(of: "gs://models/jukebox/1.4.2", with: "gs://hotfix/jukebox/x")
            w.repo.commitDirectly(branch: "main", files: [stagingPath: edited], message: "hotfix by hand")
            let findings = try await Reconciler(engine: w.engine).run()
            if policy == "repair" {
                #expect(kinds(findings) == ["staging:manual-edit:reported"])
                #expect(w.repo.file(stagingPath, on: "main")?.contains("gs://hotfix/jukebox/x") == true)
                #expect(kinds(try await Reconciler(engine: w.engine).run()) == ["staging:manual-edit:reported"])
            } else {
                #expect(kinds(findings) == ["staging:manual-edit:repaired"])
                #expect(w.repo.file(stagingPath, on: "main")?.contains("gs://models/jukebox/1.4.2") == true)
                #expect(try await Reconciler(engine: w.engine).run().isEmpty)
            }
        }
    }

    @Test func deletedSpecIsReported() async throws {
        let w = try world()
        try await release(w, "1.4.2")
        w.repo.commitDirectly(branch: "main", files: [stagingPath: nil], message: "remove jukebox")
        let findings = try await Reconciler(engine: w.engine).run()
        #expect(kinds(findings) == ["staging:spec-missing:reported"])
        #expect(findings.first?.detail == "no template to re-create it from")
    }

    /// Contract change (issue 13, DESIGN.md 1a): a closed pull request is a person's rejection, never re-opened.
    @Test func closedPullRequestIsRejectedAndNeverReopened() async throws {
        let w = try world()
        try await release(w, "1.4.2")
        try await w.forge.close(number: 1, comment: nil)
        for _ in 0..<2 {
            #expect(kinds(try await Reconciler(engine: w.engine).run()) == ["production:pr-closed:reported"])
            #expect(w.forge.pullRequests.filter { $0.state == .open }.isEmpty)
        }
        let proposal = try await w.store.proposal(model: "jukebox", version: "1.4.2", environment: "production")
        #expect(proposal?.state == .rejected)
    }

    @Test func closedPullRequestIsOnlyReportedUnderReport() async throws {
        let w = try world(production: "report")
        try await release(w, "1.4.2")
        try await w.forge.close(number: 1, comment: nil)
        #expect(kinds(try await Reconciler(engine: w.engine).run()) == ["production:pr-closed:reported"])
        #expect(w.forge.pullRequests.filter { $0.state == .open }.isEmpty)
    }

    @Test func mergeWhileNotListeningIsRecorded() async throws {
        let w = try world()
        try await release(w, "1.4.2")
        // A reviewer merges: the forge says so and main now holds the bot branch's content.
        try w.forge.mergeByHand(1)
        w.repo.commitDirectly(
            branch: "main", files: [productionPath: w.repo.file(productionPath, on: "promote/production/jukebox")], message: "Merge #1")
        let findings = try await Reconciler(engine: w.engine).run()
        #expect(kinds(findings) == ["production:merge-unrecorded:repaired"])
        let live = try await w.store.ledger(model: "jukebox", environment: "production")
        #expect(live.map { "\($0.version)/\($0.status.rawValue)" } == ["1.4.2/live"])
        #expect(w.forge.deletedBranches == ["promote/production/jukebox"])
        #expect(try await Reconciler(engine: w.engine).run().isEmpty)
    }

    @Test func baseMovedIsRebuilt() async throws {
        let w = try world()
        try await release(w, "1.4.2")
        // An unrelated commit on main is not drift.
        w.repo.commitDirectly(branch: "main", files: ["README.md": "new\n"], message: "unrelated change")
        #expect(try await Reconciler(engine: w.engine).run().isEmpty)
        // A change to the same spec on main is: merging the PR as it is would undo it.
        let edited = "# reviewed by ops\n" + (try #require(w.repo.file(productionPath, on: "main")))
        w.repo.commitDirectly(branch: "main", files: [productionPath: edited], message: "ops: annotate")
        #expect(kinds(try await Reconciler(engine: w.engine).run()) == ["production:pr-behind-base:repaired"])
        let botTip = try #require(w.repo.tip("promote/production/jukebox"))
        #expect(w.repo.commit(botTip)?.parent == w.repo.tip("main"))
        #expect(w.repo.file(productionPath, on: "promote/production/jukebox")?.hasPrefix("# reviewed by ops\n") == true)
        #expect(try await Reconciler(engine: w.engine).run().isEmpty)
    }

    /// Contract change (issue 13): a commit on the bot's branch that Promote did not write is the reviewer's:
    /// `pr-edited`, reported with one comment, the branch left alone (not `pr-outdated`, not rebuilt).
    @Test func editedPullRequestBranchIsTheReviewers() async throws {
        let w = try world()
        try await release(w, "1.4.2")
        let tampered = try #require(w.repo.file(productionPath, on: "promote/production/jukebox")).replacingOccurrences(of: "1.4.2", with: "6.6.6")
        let theirs = w.repo.commitDirectly(
            branch: "promote/production/jukebox", files: [productionPath: tampered], message: "someone pushed to the bot branch")
        for _ in 0..<2 {
            #expect(kinds(try await Reconciler(engine: w.engine).run()) == ["production:pr-edited:reported"])
        }
        #expect(w.repo.tip("promote/production/jukebox") == theirs)
        #expect(w.forge.comments[1]?.count == 1)
    }

    @Test func specDeletedUnderAnOpenPullRequestIsReportedNotFatal() async throws {
        let w = try world()
        try await release(w, "1.4.2")
        w.repo.commitDirectly(branch: "main", files: [productionPath: nil], message: "remove jukebox from production")
        let report = try await Reconciler(engine: w.engine).reconcile()
        #expect(report.failures.isEmpty)
        #expect(kinds(report.findings) == ["production:spec-missing:reported"])
        #expect(report.findings.first?.detail?.contains("edits a file deleted from main") == true)
        #expect(w.forge.pullRequests.map(\.state) == [.open], "the pull request is left for people to decide")
    }

    @Test func specDriftUnderANewerProposalKeepsTheProposal() async throws {
        let w = try world(production: "enforce")
        try await release(w, "1.4.2")
        try w.forge.mergeByHand(1)
        w.repo.commitDirectly(
            branch: "main", files: [productionPath: w.repo.file(productionPath, on: "promote/production/jukebox")], message: "Merge #1")
        #expect(kinds(try await Reconciler(engine: w.engine).run()) == ["production:merge-unrecorded:repaired"])
        try await release(w, "1.4.3")
        let hotfix = try #require(w.repo.file(productionPath, on: "main")).replacingOccurrences(of: "gs://models/jukebox/1.4.2", with: "gs://hotfix/x")
        w.repo.commitDirectly(branch: "main", files: [productionPath: hotfix], message: "hotfix")
        let findings = try await Reconciler(engine: w.engine).run()
        // The spec's drift is reported (merging the 1.4.3 pull request sets it); the pull request is rebuilt on main.
        #expect(kinds(findings) == ["production:manual-edit:reported", "production:pr-behind-base:repaired"])
        #expect(findings.first { $0.kind == .manualEdit }?.detail?.contains("proposes 1.4.3") == true)
        let proposed = try await w.store.ledger(model: "jukebox", environment: "production").first { $0.status == .proposed }
        #expect(proposed?.version == "1.4.3")
        #expect(w.repo.file(productionPath, on: "promote/production/jukebox")?.contains("gs://models/jukebox/1.4.3") == true)
        #expect(w.forge.pullRequests.filter { $0.state == .open }.count == 1)
        #expect(kinds(try await Reconciler(engine: w.engine).run()) == ["production:manual-edit:reported"])
    }

    @Test func aFailingEnvironmentOrModelDoesNotStopTheOthers() async throws {
        let w = try world()
        try await release(w, "1.4.2")
        w.forge.failures["list"] = [ForgeFailure(kind: .server, request: "GET /pulls", status: 503, message: "Service Unavailable")]
        w.repo.commitDirectly(branch: "main", files: [stagingPath: "spec: [unclosed\n"], message: "break the staging spec")
        let report = try await Reconciler(engine: w.engine).reconcile()
        #expect(report.findings.isEmpty)
        #expect(report.failures.map { "\($0.environment):\($0.model ?? "*")" } == ["staging:jukebox", "production:*"])
        #expect(report.failures.allSatisfy { !$0.message.isEmpty })
        let audited = try await w.store.auditLog(model: nil, limit: 10).filter { $0.action == "failed" }
        #expect(audited.count == 2)
        await #expect(throws: ReconcileFailure.self) { try await Reconciler(engine: w.engine).run() }
    }
}

@Suite struct LedgerRebuilderTests {
    @Test func ledgerComesBackFromTrailers() async throws {
        let w = try PromotionEngineTests().world()
        _ = try await w.engine.release(try PromotionEngineTests().request("1.4.2"))
        _ = try await w.engine.release(try PromotionEngineTests().request("1.4.3"))
        // A fresh store, as after losing the database: the repository still knows what staging runs.
        let fresh = PromotionEngine(config: w.engine.config, store: try SQLiteStore(path: nil), repository: w.engine.repository, forge: w.engine.forge)
        let entries = try await LedgerRebuilder(engine: fresh).rebuild()
        #expect(entries.map { "\($0.environment)/\($0.model)/\($0.version)" } == ["staging/jukebox/1.4.3"])
        #expect(try await fresh.store.ledger(model: "jukebox", environment: "staging").first?.version == "1.4.3")
        // The history comes back too (issue 13), and a second rebuild writes nothing new.
        try await LedgerRebuilder(engine: fresh).rebuild()
        #expect(try await fresh.store.ledgerHistory(model: "jukebox", environment: "staging").map(\.version) == ["1.4.3", "1.4.2"])
    }
}
