import Foundation
import Synchronization
import Testing
import Promotion
import Store
import TestSupport

/// The stages through the engine over in-memory ports (DESIGN.md 1a): `live → verified` by the `verify` window,
/// persisted so that a restart loses nothing and verifies nothing twice, and the version carried on once verified.
@Suite struct StageEngineTests {
    /// Scripted answers of the check sources, changeable while a test runs.
    final class ScriptedChecks: DeploymentChecks {
        struct Script {
            var argo: Result<ArgoCDApplicationState, CheckUnavailable>?
            var prometheus: Result<[PrometheusSample], CheckUnavailable> = .success([.init(labels: [:], value: 0.001)])
        }
        let script = Mutex(Script())

        func argoCDApplication(_ settings: VerifySettings.ArgoCD, name: String) async throws -> ArgoCDApplicationState {
            guard let answer = script.withLock({ $0.argo }) else {
                throw CheckUnavailable(kind: .notFound, request: "Argo CD GET /api/v1/applications/\(name)", message: "not scripted")
            }
            return try answer.get()
        }

        func prometheusQuery(_ settings: VerifySettings.Prometheus, query: String) async throws -> [PrometheusSample] {
            try script.withLock { $0.prometheus }.get()
        }
    }

    final class Clock: Sendable {
        let now = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        func advance(_ seconds: Double) { now.withLock { $0 += seconds } }
        var read: @Sendable () -> Date { { [self] in now.withLock { $0 } } }
    }

    static let query = VerifySettings.PrometheusQuery(name: "error-rate", query: "rate{model=\"{model}\"}", comparison: .less, threshold: 0.01, expect: "< 0.01")

    struct World {
        let repo: MemoryRepository
        let forge: MemoryForge
        let store: SQLiteStore
        let checks: ScriptedChecks
        let clock: Clock
        let config: PromoteConfig

        /// An engine on this world's store (a new one is a restart: nothing is kept in memory between them).
        func engine() -> PromotionEngine {
            var engine = PromotionEngine(config: config, store: store, repository: { [repo] _ in repo }, forge: { [forge] _ in forge }, now: clock.read)
            engine.deploymentChecks = checks
            return engine
        }
    }

    func world(argo: Bool = false, soak: String? = nil) throws -> World {
        let yaml = """
            repository: {url: "file:///srv/gitops.git", branch: main}
            forge: {type: github, project: acme/gitops, tokenEnv: TOKEN}
            commit: {author: {name: promote-bot, email: bot@example.com}}
            environments:
              - {name: staging, path: "environments/staging/{model}.yaml", mode: push}
              - {name: production, path: "environments/production/{model}.yaml", mode: pull-request\(soak.map { ", soak: \($0)" } ?? "")}
            """
        var config = try ConfigDecoder.decode(yaml: .init(name: "promote.yaml", bytes: Array(yaml.utf8)))
        config.environments[0].verify = VerifySettings(
            holdFor: .seconds(2), every: .seconds(1),
            argoCD: argo ? .init(url: "http://127.0.0.1:1", application: "{model}-{env}", tokenEnv: "ARGO") : nil,
            prometheus: .init(url: "http://127.0.0.1:1", queries: [Self.query]))
        let files = [
            "environments/staging/jukebox.yaml": PromotionEngineTests.staging, "environments/production/jukebox.yaml": PromotionEngineTests.production,
        ]
        return World(repo: MemoryRepository(files: files), forge: MemoryForge(), store: try SQLiteStore(path: nil), checks: ScriptedChecks(), clock: Clock(), config: config)
    }

    func release(_ w: World, _ version: String) async throws -> PromotionReport {
        try await w.engine().release(try ReleaseRequest.validated(model: "jukebox", version: version, uri: "gs://models/jukebox/\(version)"))
    }

    func state(_ w: World, _ environment: String, _ version: String = "1.5.0") async throws -> Proposal? {
        try await w.store.proposal(model: "jukebox", version: version, environment: environment)
    }

    @Test func aLiveVersionIsVerifiedOnlyAfterTheWindowAndThenCarriedOn() async throws {
        let w = try world()
        let report = try await release(w, "1.5.0")
        #expect(report.record.steps.map(\.action) == [.pushed, .waiting], "production waits until staging is verified")
        #expect(try await state(w, "staging")?.state == .live)
        #expect(w.forge.pullRequests.isEmpty)

        var entries = try await w.engine().advance().entries
        #expect(entries.map(\.action) == [.sampled])
        w.clock.advance(1)
        #expect(try await w.engine().advance().entries.map(\.action) == [.sampled])
        w.clock.advance(1)
        entries = try await w.engine().advance().entries
        #expect(entries.map(\.action) == [.verified, .entered])
        #expect(entries.last?.environment == "production")
        let staging = try #require(try await state(w, "staging"))
        #expect(staging.state == .verified && staging.verifiedAt == w.clock.read() && staging.liveAt != nil)
        #expect(w.forge.pullRequests.count == 1)
        w.clock.advance(5)
        #expect(try await w.engine().advance().entries.isEmpty, "nothing is verified twice, nothing opened twice")
        let verified = try await w.store.auditLog(model: "jukebox", limit: 100).filter { $0.action == "verified" }
        #expect(verified.count == 1)
    }

    @Test func aRestartMidWindowLosesNothing() async throws {
        let w = try world()
        _ = try await release(w, "1.5.0")
        _ = try await w.engine().advance()
        w.clock.advance(1)
        _ = try await w.engine().advance()
        // A new engine (the service restarted): the window's start is in the store.
        let stored = try #require(try await state(w, "staging")?.verification)
        #expect(stored.passingSince == w.clock.read() - 1 && stored.lastSample == w.clock.read())
        w.clock.advance(1)
        #expect(try await w.engine().advance().entries.map(\.action) == [.verified, .entered])
    }

    @Test func aFailingCheckKeepsTheVersionPutAndIsNamed() async throws {
        let w = try world()
        _ = try await release(w, "1.5.0")
        w.checks.script.withLock { $0.prometheus = .success([.init(labels: ["code": "500"], value: 0.2)]) }
        var reported: [[CheckVerdict]?] = []
        for _ in 0..<4 {
            reported += try await w.engine().advance().entries.filter { $0.action == .sampled }.map(\.checks)
            w.clock.advance(1)
        }
        // The verdicts go out (as check-result CDEvents) when the failure is new, not on every sample of it.
        #expect(reported.count == 4 && reported.compactMap { $0 }.count == 1)
        #expect(reported.first??.map(\.passed) == [false])
        let staging = try #require(try await state(w, "staging"))
        #expect(staging.state == .live)
        #expect(staging.verification?.failing == "prometheus error-rate: error-rate code=500 = 0.2, expected < 0.01")
        var facts = StatusFacts(
            ledger: try await w.store.ledger(model: nil, environment: nil), drift: [], reconciledAt: nil, counts: [], active: [], branches: [:])
        facts.proposals = [staging]
        facts.now = w.clock.read()
        let status = StatusBuilder.report(config: w.config, facts: facts)
        let cell = try #require(status.models.first?.environments.first)
        #expect(cell.stage?.failingCheck?.contains("error-rate") == true && cell.stage?.state == "live")
        #expect(w.forge.pullRequests.isEmpty)

        // An empty result, then a source that cannot be reached: neither is a pass.
        w.checks.script.withLock { $0.prometheus = .success([]) }
        #expect(try await w.engine().advance().entries.first?.checks?.first?.couldNotRun == false, "another failure is news")
        #expect(try await state(w, "staging")?.verification?.failing?.contains("no result") == true)
        w.clock.advance(1)
        w.checks.script.withLock { $0.prometheus = .failure(.init(kind: .unauthorized, request: "Prometheus GET /api/v1/query", message: "401 Unauthorized")) }
        #expect(try await w.engine().advance().entries.first?.checks?.first?.couldNotRun == true)
        #expect(try await state(w, "staging")?.verification?.failing?.contains("token was refused") == true)
        #expect(try await state(w, "staging")?.state == .live)
    }

    @Test func argoCDMustBeSyncedAtThePromotedCommitAndHealthy() async throws {
        let w = try world(argo: true)
        let seed = try #require(w.repo.tip("main"))
        _ = try await release(w, "1.5.0")
        let pushed = try #require(try await state(w, "staging")?.commit)
        #expect(pushed != seed)
        w.checks.script.withLock { $0.argo = .success(.init(syncStatus: "Synced", revision: seed, healthStatus: "Healthy")) }
        _ = try await w.engine().advance()
        #expect(try await state(w, "staging")?.verification?.failing?.contains("does not contain the promoted commit") == true)
        w.clock.advance(1)
        w.checks.script.withLock { $0.argo = .success(.init(syncStatus: "Synced", revision: pushed, healthStatus: "Progressing")) }
        _ = try await w.engine().advance()
        #expect(try await state(w, "staging")?.verification?.failing?.contains("Progressing") == true)
        w.checks.script.withLock { $0.argo = .success(.init(syncStatus: "Synced", revision: pushed, healthStatus: "Healthy")) }
        for _ in 0..<3 {
            w.clock.advance(1)
            _ = try await w.engine().advance()
        }
        #expect(try await state(w, "staging")?.state == .verified)
    }

    @Test func soakHoldsTheNextEnvironmentBack() async throws {
        let w = try world(soak: "1h")
        _ = try await release(w, "1.5.0")
        for _ in 0..<3 {
            _ = try await w.engine().advance()
            w.clock.advance(1)
        }
        #expect(try await state(w, "staging")?.state == .verified)
        #expect(w.forge.pullRequests.isEmpty, "verified, but not an hour ago")
        w.clock.advance(3_600)
        #expect(try await w.engine().advance().entries.map(\.action) == [.entered])
        #expect(w.forge.pullRequests.count == 1)
    }
}
