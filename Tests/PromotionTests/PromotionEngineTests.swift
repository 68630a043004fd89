import Foundation
import Testing
import Promotion
import Store
import TestSupport

/// The engine end to end over in-memory ports: the repository and forge fakes from TestSupport and an in-memory
/// SQLite store. The real adapters are exercised by the CLI end-to-end tests.
@Suite struct PromotionEngineTests {
    static let staging = """
        # staging deployment of jukebox
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata:
          name: jukebox
        spec:
          predictors:
            - name: default
              graph:
                name: jukebox
                modelUri: gs://models/jukebox/1.4.1  # set by promote
        """
    static let production = staging.replacingOccurrences(of: "staging", with: "production")

    static let configYAML = """
        repository: {url: "file:///srv/gitops.git", branch: main}
        forge: {type: github, project: acme/gitops, tokenEnv: TOKEN}
        commit: {author: {name: promote-bot, email: bot@example.com}}
        environments:
          - name: staging
            path: environments/staging/{model}.yaml
            mode: push
          - name: production
            path: environments/production/{model}.yaml
            mode: pull-request
            labels: [promotion]
            reviewers: [ml-leads]
            gates: {accuracy: ">= production - 0.01"}
        models:
          jukebox: {allowedUris: ["gs://models/jukebox/"]}
          newbie: {template: seldon-deployment.yaml}
          music:
            path: model-deployments/{env}/{model}/config.yaml
            set: {version: "{version}", image_namespace: "{env}-models"}
        """

    struct World: @unchecked Sendable {
        let repo: MemoryRepository
        let forge: MemoryForge
        let store: SQLiteStore
        let engine: PromotionEngine
    }

    func world(extraFiles: [String: String] = [:], config: String = configYAML) throws -> World {
        var files = ["environments/staging/jukebox.yaml": Self.staging, "environments/production/jukebox.yaml": Self.production]
        files.merge(extraFiles) { $1 }
        let repo = MemoryRepository(files: files)
        let forge = MemoryForge()
        let store = try SQLiteStore(path: nil)
        let parsed = try ConfigDecoder.decode(yaml: .init(name: "promote.yaml", bytes: Array(config.utf8)))
        let engine = PromotionEngine(config: parsed, store: store, repository: { _ in repo }, forge: { _ in forge })
        return World(repo: repo, forge: forge, store: store, engine: engine)
    }

    func request(_ version: String, model: String = "jukebox", accuracy: Double = 0.93, key: String? = nil) throws -> ReleaseRequest {
        try ReleaseRequest.validated(
            model: model, version: version, uri: "gs://models/\(model)/\(version)", metrics: ["accuracy": accuracy],
            source: .init(commit: "0123abcd", runURL: "https://ci.example/run/1"), idempotencyKey: key)
    }

    @Test func firstReleasePushesStagingAndOpensOnePullRequest() async throws {
        let w = try world()
        let report = try await w.engine.release(try request("1.4.2"))
        #expect(report.record.state == .awaitingReview)
        #expect(report.record.steps.map(\.action) == [.pushed, .pullRequestOpened])
        // Staging: exactly the scalar changed, the comment kept.
        let staged = try #require(w.repo.file("environments/staging/jukebox.yaml", on: "main"))
        #expect(staged == Self.staging.replacingOccurrences(of: "1.4.1  #", with: "1.4.2  #"))
        // Production: untouched on main, changed on the bot's branch, one PR.
        #expect(w.repo.file("environments/production/jukebox.yaml", on: "main") == Self.production)
        #expect(w.repo.file("environments/production/jukebox.yaml", on: "promote/production/jukebox")?.contains("gs://models/jukebox/1.4.2  # set by promote") == true)
        let pr = try #require(w.forge.pullRequests.first)
        #expect(w.forge.pullRequests.count == 1)
        #expect(pr.head == "promote/production/jukebox" && pr.base == "main")
        #expect(pr.title == "Promote jukebox 1.4.1 → 1.4.2 to production")
        #expect(pr.body.contains("+        modelUri: gs://models/jukebox/1.4.2  # set by promote"))
        #expect(pr.labels == ["promotion"])
        #expect(w.forge.reviewersRequested[pr.number] == ["ml-leads"])
        // Provenance trailers on both commits.
        let tip = try #require(w.repo.tip("main"))
        #expect(Provenance.parse(commitMessage: try #require(w.repo.commit(tip)).message).first?.environment == "staging")
        // The ledger.
        let ledger = try await w.store.ledger(model: "jukebox", environment: nil)
        #expect(Set(ledger.map { "\($0.environment)/\($0.version)/\($0.status.rawValue)" }) == ["staging/1.4.2/live", "production/1.4.2/proposed"])
    }

    @Test func repeatingAReleaseMovesNothing() async throws {
        let w = try world()
        _ = try await w.engine.release(try request("1.4.2"))
        let tips = (w.repo.tip("main"), w.repo.tip("promote/production/jukebox"))
        let pushes = w.repo.pushes
        // Same key: the same promotion, re-run; a different key: a new promotion that finds everything in place.
        let again = try await w.engine.release(try request("1.4.2"))
        let other = try await w.engine.release(try request("1.4.2", key: "another-delivery"))
        #expect(!again.created && other.created)
        #expect(other.record.steps.map(\.action) == [.unchanged, .pullRequestUnchanged])
        #expect((w.repo.tip("main"), w.repo.tip("promote/production/jukebox")) == tips)
        #expect(w.repo.pushes == pushes)
        #expect(w.forge.pullRequests.count == 1)
        #expect(!w.forge.calls.contains("update"))
    }

    @Test func newerVersionUpdatesTheOpenPullRequest() async throws {
        let w = try world()
        let first = try await w.engine.release(try request("1.4.2"))
        let second = try await w.engine.release(try request("1.4.3"))
        #expect(second.record.steps.map(\.action) == [.pushed, .pullRequestUpdated])
        #expect(w.forge.pullRequests.count == 1)
        let pr = try #require(w.forge.pullRequests.first)
        #expect(pr.title == "Promote jukebox 1.4.1 → 1.4.3 to production")
        #expect(pr.body.contains("### Supersedes\n- 1.4.2, proposed earlier in this pull request"))
        #expect(w.repo.file("environments/production/jukebox.yaml", on: "promote/production/jukebox")?.contains("1.4.3") == true)
        #expect(try await w.store.promotion(id: first.record.id)?.state == .superseded)
        // A late delivery of the older version is refused and regresses nothing.
        do {
            _ = try await w.engine.release(try request("1.4.2", key: "late-redelivery"))
            Issue.record("expected a refusal")
        } catch let error as PromotionError {
            #expect(error.kind == .olderVersion)
        }
        #expect(try #require(w.forge.pullRequests.first).title.hasSuffix("1.4.3 to production"))
        #expect(w.repo.file("environments/staging/jukebox.yaml", on: "main")?.contains("1.4.3") == true)
    }

    @Test func olderVersionIsRefusedUnlessRollback() async throws {
        let w = try world()
        _ = try await w.engine.release(try request("1.4.3", key: "a"))
        await #expect(throws: PromotionError.self) { try await w.engine.release(try request("1.4.2", key: "b")) }
        let rollback = try await w.engine.release(
            try ReleaseRequest.validated(model: "jukebox", version: "1.4.2", uri: "gs://models/jukebox/1.4.2", environments: ["staging"]),
            options: PromotionOptions(isRollback: true, origin: "rollback"))
        #expect(rollback.record.state == .done)
        #expect(w.repo.file("environments/staging/jukebox.yaml", on: "main")?.contains("1.4.2") == true)
    }

    @Test func aVersionOvertakenWhileItWaitedIsSupersededNotFailed() async throws {
        let w = try world()
        // 1.4.2 was accepted first, but 1.4.3 ran before it (another replica, or events out of order).
        let (waiting, _) = try await w.store.admit(try request("1.4.2", key: "early"), origin: "api", now: Date().addingTimeInterval(-60))
        _ = try await w.engine.release(try request("1.4.3", key: "late"))
        let pullRequests = w.forge.pullRequests.map(\.title)
        let report = try await w.engine.run(waiting, created: false, options: PromotionOptions(origin: "api"))
        #expect(report.record.state == .superseded)
        #expect(report.record.detail == "1.4.3, newer, went live in staging after this version was requested")
        #expect(report.steps.map(\.action) == [.unchanged])
        #expect(w.forge.pullRequests.map(\.title) == pullRequests)
        #expect(w.repo.file("environments/staging/jukebox.yaml", on: "main")?.contains("1.4.3") == true)
        #expect(try await w.store.proposal(model: "jukebox", version: "1.4.2", environment: "staging")?.state == .superseded)
    }

    @Test func failingGateBlocksUnlessForced() async throws {
        let w = try world()
        // Production runs 1.4.1 with accuracy 0.95 according to the ledger.
        try await w.store.record(LedgerEntry(
            model: "jukebox", environment: "production", version: "1.4.1", uri: "gs://models/jukebox/1.4.1", metrics: ["accuracy": 0.95],
            status: .live, recordedAt: Date()))
        do {
            _ = try await w.engine.release(try request("1.4.2", accuracy: 0.90))
            Issue.record("expected the gate to block")
        } catch let error as PromotionError {
            #expect(error.kind == .gateFailed)
            #expect(error.message.contains("accuracy 0.9 not >= 0.94"))
        }
        #expect(w.forge.pullRequests.isEmpty)
        let forced = try await w.engine.release(try request("1.4.2", accuracy: 0.90, key: "forced"), options: PromotionOptions(force: true))
        #expect(forced.record.state == .awaitingReview)
        let body = try #require(w.forge.pullRequests.first).body
        #expect(body.contains("| accuracy | 0.95 | 0.9 | -0.05 | ❌ `>= production - 0.01` |"))
        #expect(body.contains("promoted with `--force`"))
    }

    @Test func unknownModelIsRefusedAndNothingIsWritten() async throws {
        let w = try world()
        let tip = w.repo.tip("main")
        do {
            _ = try await w.engine.release(try request("1.0.0", model: "jukebx"))
            Issue.record("expected a refusal")
        } catch let error as PromotionError {
            #expect(error.kind == .unknownModel)
            #expect(error.description.contains("unknown model 'jukebx'"))
        }
        #expect(w.repo.tip("main") == tip)
        #expect(w.forge.pullRequests.isEmpty)
    }

    @Test func declaredModelIsOnboardedFromATemplate() async throws {
        let template = try String(contentsOfFile: TestSupport.repositoryRoot + "/templates/seldon-deployment.yaml", encoding: .utf8)
        let w = try world(extraFiles: ["templates/seldon-deployment.yaml": template])
        let report = try await w.engine.release(try request("0.1.0", model: "newbie"))
        #expect(report.record.steps.map(\.action) == [.pushed, .pullRequestOpened])
        let created = try #require(w.repo.file("environments/staging/newbie.yaml", on: "main"))
        #expect(created.contains("name: newbie\n") && created.contains("modelUri: gs://models/newbie/0.1.0\n"))
        #expect(!created.contains("{{"))
        #expect(try #require(w.forge.pullRequests.first).body.contains("new deployment from `templates/seldon-deployment.yaml`"))
    }

    @Test func helmValuesLayoutSetsTemplatedKeys() async throws {
        let values = "# chart values\nversion: \"1.0\"  # model version\nimage_namespace: old-models\nreplicas: 2\n"
        let w = try world(extraFiles: [
            "model-deployments/staging/music/config.yaml": values, "model-deployments/production/music/config.yaml": values,
        ])
        _ = try await w.engine.release(try ReleaseRequest.validated(
            model: "music", version: "1.10", uri: "oci://registry/music:1.10", metrics: ["accuracy": 0.9]))
        #expect(w.repo.file("model-deployments/staging/music/config.yaml", on: "main")
            == "# chart values\nversion: \"1.10\"  # model version\nimage_namespace: staging-models\nreplicas: 2\n")
        #expect(try #require(w.forge.pullRequests.first).title == "Promote music 1.0 → 1.10 to production")
    }

    @Test func dryRunWritesNothing() async throws {
        let w = try world()
        let report = try await w.engine.release(try request("1.4.2"), options: PromotionOptions(dryRun: true))
        #expect(report.previews.count == 2)
        #expect(report.previews[0].plan?.diff.contains("+        modelUri: gs://models/jukebox/1.4.2") == true)
        #expect(report.previews[1].pullRequestBody?.contains("### Metrics") == true)
        #expect(w.repo.pushes == 0 && w.forge.pullRequests.isEmpty)
        #expect(try await w.store.promotions(model: nil, limit: 10).isEmpty)
    }

    @Test func pushRaceIsRetriedOnTheNewTip() async throws {
        let w = try world(extraFiles: ["README.md": "hello\n"])
        let raced = RaceOnce(repo: w.repo)
        w.repo.beforePush = { branch in if branch == "main" { raced.fire() } }
        let report = try await w.engine.release(try request("1.4.2", key: "race"))
        #expect(report.record.steps.first?.detail?.contains("after 1 rejected push") == true)
        #expect(w.repo.file("README.md", on: "main") == "changed by someone else\n")
        #expect(w.repo.file("environments/staging/jukebox.yaml", on: "main")?.contains("1.4.2") == true)
    }

    /// Contract change (DESIGN.md 1a): a transient failure (a 502) leaves the promotion queued for a retry, not failed.
    @Test func transientForgeFailureLeavesTheStagingPushAndQueuesARetry() async throws {
        let w = try world()
        w.forge.failures["create"] = [ForgeFailure(kind: .server, request: "POST /repos/acme/gitops/pulls", status: 502, message: "Bad Gateway")]
        await #expect(throws: PromotionError.self) { try await w.engine.release(try request("1.4.2")) }
        let waiting = try #require(try await w.store.promotions(model: "jukebox", limit: 1).first)
        #expect(waiting.state == .queued)
        #expect(waiting.detail?.contains("502") == true)
        // Re-running the same promotion finishes it: staging is not pushed again, one PR is opened.
        let pushes = w.repo.pushes
        let retried = try await w.engine.release(try request("1.4.2"))
        #expect(retried.record.state == .awaitingReview)
        #expect(w.repo.pushes == pushes)
        #expect(w.forge.pullRequests.count == 1)
    }

    @Test func aMergeNobodyRecordedIsCaughtUpOnBeforeTheNextRelease() async throws {
        let w = try world()
        _ = try await w.engine.release(try request("1.4.2", accuracy: 0.95))
        try w.forge.mergeByHand(1)
        w.repo.commitDirectly(
            branch: "main", files: [productionPath: w.repo.file(productionPath, on: "promote/production/jukebox")], message: "Merge #1")
        // 1.4.3 is worse than what production now runs (1.4.2 at 0.95): the gate must compare with 1.4.2.
        do {
            _ = try await w.engine.release(try request("1.4.3", accuracy: 0.90))
            Issue.record("expected the gate to block")
        } catch let error as PromotionError {
            #expect(error.kind == .gateFailed && error.message.contains("not >= 0.94"))
        }
        let live = try await w.store.ledger(model: "jukebox", environment: "production").first { $0.status == .live }
        #expect(live?.version == "1.4.2")
        #expect(w.forge.deletedBranches == ["promote/production/jukebox"])
    }

    let productionPath = "environments/production/jukebox.yaml"

    @Test func aPermanentForgeFailureFailsThePromotion() async throws {
        let w = try world()
        w.forge.failures["create"] = [ForgeFailure(kind: .forbidden, request: "POST /repos/acme/gitops/pulls", status: 403, message: "Forbidden")]
        await #expect(throws: PromotionError.self) { try await w.engine.release(try request("1.4.2")) }
        let failed = try #require(try await w.store.promotions(model: "jukebox", limit: 1).first)
        #expect(failed.state == .failed && failed.detail?.contains("403") == true)
    }

    @Test func severalModelsForOnePushEnvironmentAreOneCommit() async throws {
        let radio = Self.staging.replacingOccurrences(of: "jukebox", with: "radio")
        let w = try world(extraFiles: [
            "environments/staging/radio.yaml": radio,
            "environments/production/radio.yaml": radio.replacingOccurrences(of: "staging", with: "production"),
        ])
        var records: [PromotionRecord] = []
        for (model, version) in [("jukebox", "1.4.2"), ("radio", "2.0.0")] {
            records.append(try await w.store.admit(try request(version, model: model), origin: "api", now: Date()).record)
        }
        let before = w.repo.pushes
        let pushed = try await w.engine.pushTogether(records)
        #expect(pushed == Dictionary(uniqueKeysWithValues: records.map { ($0.id, Set(["staging"])) }))
        #expect(w.repo.pushes == before + 1)
        let tip = try #require(w.repo.tip("main"))
        let message = try #require(w.repo.commit(tip)).message
        #expect(Provenance.parse(commitMessage: message).map(\.model).sorted() == ["jukebox", "radio"])
        #expect(message.hasPrefix("Promote 2 models to staging"))
        // Each promotion then runs for its pull request and finds staging done: nothing is pushed again to main.
        for record in records {
            let fresh = try #require(try await w.store.promotion(id: record.id))
            var options = PromotionOptions(origin: "api")
            options.pushedTogether = pushed[record.id] ?? []
            let report = try await w.engine.run(fresh, created: false, options: options)
            #expect(report.record.state == .awaitingReview)
            #expect(report.record.steps.map(\.action) == [.pushed, .pullRequestOpened])
        }
        #expect(w.repo.tip("main") == tip)
        #expect(w.forge.pullRequests.count == 2)
    }

    @Test func aFetchThatFailsFailsTheWholeBatchInsteadOfLeavingAModelToRunAlone() async throws {
        let radio = Self.staging.replacingOccurrences(of: "jukebox", with: "radio")
        let w = try world(extraFiles: ["environments/staging/radio.yaml": radio])
        var records: [PromotionRecord] = []
        for (model, version) in [("jukebox", "1.4.2"), ("radio", "2.0.0")] {
            records.append(try await w.store.admit(try request(version, model: model), origin: "api", now: Date()).record)
        }
        w.repo.failingFetches = 1
        let before = w.repo.pushes
        await #expect(throws: PromotionError.self) { try await w.engine.pushTogether(records) }
        #expect(w.repo.pushes == before)
        // Tried again (as the service does after its backoff), the batch is still one commit.
        let pushed = try await w.engine.pushTogether(records)
        #expect(pushed.count == 2 && w.repo.pushes == before + 1)
    }

    @Test func uriOutsideAllowedPrefixIsRefused() async throws {
        let w = try world()
        let bad = try ReleaseRequest.validated(model: "jukebox", version: "9", uri: "gs://models/other-team/9")
        await #expect(throws: PromotionError.self) { try await w.engine.release(bad) }
    }
}

/// Makes another writer commit to main once, just before the bot's first push.
final class RaceOnce: @unchecked Sendable {
    let repo: MemoryRepository
    private let lock = NSLock()
    private var fired = false

    init(repo: MemoryRepository) { self.repo = repo }

    func fire() {
        let first = lock.withLock { () -> Bool in
            defer { fired = true }
            return !fired
        }
        if first { repo.commitDirectly(branch: "main", files: ["README.md": "changed by someone else\n"], message: "human") }
    }
}
