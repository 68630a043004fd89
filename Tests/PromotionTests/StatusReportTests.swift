import Foundation
import Promotion
import Store
import TestSupport
import Testing

/// The status shape `promote status --json` and `GET /v1/status` share: what the specs on the branches hold (also
/// for models never promoted and declared ones), the ledger, proposals with gate verdicts, and the audit window.
@Suite struct StatusReportTests {
    static let config = """
        repository: {url: "file:///srv/gitops.git", branch: main}
        forge: {type: github, project: acme/gitops, tokenEnv: TOKEN}
        commit: {author: {name: promote-bot, email: bot@example.com}}
        environments:
          - {name: staging, path: "environments/staging/{model}.yaml", mode: push}
          - {name: production, path: "environments/production/{model}.yaml", mode: pull-request, gates: {accuracy: ">= 0.9"}}
        models:
          jukebox: {allowedUris: ["gs://models/jukebox/"]}
          declared-only: {}
          helm: {path: "deploy/{env}/{model}/values.yaml", set: {image.tag: "{version}"}}
        """

    static func spec(_ model: String, _ version: String) -> String {
        """
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata: {name: \(model)}
        spec:
          predictors:
            - graph: {name: \(model), modelUri: gs://models/\(model)/\(version)}
        """
    }

    func engine(_ files: [String: String], store: SQLiteStore) throws -> PromotionEngine {
        let repo = MemoryRepository(files: files)
        let config = try ConfigDecoder.decode(yaml: .init(name: "promote.yaml", bytes: Array(Self.config.utf8)))
        return PromotionEngine(config: config, store: store, repository: { _ in repo }, forge: { _ in MemoryForge() })
    }

    @Test func specsOnTheBranchAreReadForEveryModelWithASpecOrADeclaration() async throws {
        let store = try SQLiteStore(path: nil)
        let engine = try engine([
            "environments/staging/jukebox.yaml": Self.spec("jukebox", "1.4.1"),
            "environments/production/jukebox.yaml": Self.spec("jukebox", "1.3.0"),
            "environments/staging/radio.yaml": Self.spec("radio", "2.0.0"),
            "environments/staging/notes.txt": "not a spec",
            "deploy/staging/helm/values.yaml": "image:\n  repository: registry/helm\n  tag: \"7\"\n",
        ], store: store)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let proposed = try ReleaseRequest.validated(model: "jukebox", version: "1.4.2", uri: "gs://models/jukebox/1.4.2", metrics: ["accuracy": 0.85])
        let (record, _) = try await store.admit(proposed, origin: "ml-oncall", now: now)
        try await store.setState(.awaitingReview, detail: nil, of: record.id, now: now)
        try await store.record(LedgerEntry(
            model: "jukebox", environment: "production", version: "1.4.2", uri: proposed.uri, metrics: proposed.metrics,
            status: .proposed, pullRequestNumber: 7, pullRequestURL: "https://forge.test/pr/7", promotionID: record.id, recordedAt: now))
        let queued = try ReleaseRequest.validated(model: "radio", version: "2.1.0", uri: "gs://models/radio/2.1.0")
        _ = try await store.admit(queued, origin: "ci", now: now)

        let reader = StatusReader(engine: engine, askForge: false)
        let report = StatusBuilder.report(config: engine.config, facts: try await reader.facts())
        #expect(report.models.map(\.model) == ["declared-only", "helm", "jukebox", "radio"])
        let jukebox = try #require(report.models.first { $0.model == "jukebox" })
        #expect(jukebox.environments.map(\.name) == ["staging", "production"])
        #expect(jukebox.environments[0].spec.version == "1.4.1" && jukebox.environments[0].spec.value == "gs://models/jukebox/1.4.1")
        #expect(jukebox.environments[1].spec.version == "1.3.0")
        let proposal = try #require(jukebox.environments[1].proposed)
        #expect(proposal.version == "1.4.2" && proposal.state == "awaiting-review" && proposal.pullRequest?.number == 7)
        #expect(proposal.gates.map(\.outcome) == ["failed"])
        let radio = try #require(report.models.first { $0.model == "radio" })
        #expect(!radio.declared && radio.environments[0].spec.version == "2.0.0" && radio.environments[1].spec.state == "missing")
        #expect(radio.pending.map(\.version) == ["2.1.0"])
        let helm = try #require(report.models.first { $0.model == "helm" })
        #expect(helm.declared && helm.environments[0].spec.version == "7" && helm.environments[0].spec.path == "deploy/staging/helm/values.yaml")
        let declared = try #require(report.models.first { $0.model == "declared-only" })
        #expect(declared.environments.allSatisfy { $0.spec.state == "missing" })
        #expect(report.promotions["awaiting-review"] == 1 && report.promotions["queued"] == 1)

        // One model only; the JSON always carries reconciledAt (null before the first reconcile).
        let one = StatusBuilder.report(config: engine.config, facts: try await reader.facts(), model: "radio")
        #expect(one.models.map(\.model) == ["radio"])
        let json = try #require(String(data: try one.json(), encoding: .utf8))
        #expect(json.contains(#""reconciledAt":null"#))
    }

    @Test func warmReadsAtTheSameTipParseNothing() async throws {
        let store = try SQLiteStore(path: nil)
        let repo = MemoryRepository(files: ["environments/staging/jukebox.yaml": Self.spec("jukebox", "1.0.0")])
        let config = try ConfigDecoder.decode(yaml: .init(name: "promote.yaml", bytes: Array(Self.config.utf8)))
        let engine = PromotionEngine(config: config, store: store, repository: { _ in repo }, forge: { _ in MemoryForge() })
        let reader = StatusReader(engine: engine, refreshAfter: 3600, askForge: false)
        let first = try await reader.facts()
        let second = try await reader.facts()
        #expect(repo.fetches == 1, "fetched once within the refresh window")
        #expect(first.branches["staging"]?.specs["jukebox"] == second.branches["staging"]?.specs["jukebox"])
    }

    @Test func auditSinceTakesRFC3339OrADuration() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(AuditSince.parse("24h", now: now) == now.addingTimeInterval(-86400))
        #expect(AuditSince.parse("30m", now: now) == now.addingTimeInterval(-1800))
        #expect(AuditSince.parse("7d", now: now) == now.addingTimeInterval(-7 * 86400))
        #expect(AuditSince.parse("2027-01-15T08:00:00Z", now: now) == Date(timeIntervalSince1970: 1800000000))
        #expect(AuditSince.parse("2027-01-15T08:00:00.5+01:00", now: now) != nil)
        #expect(AuditSince.parse("yesterday", now: now) == nil)
        #expect(AuditSince.parse("-5h", now: now) == nil)
    }

    @Test func theAuditReportNamesTheVersionOfEachPromotion() async throws {
        let store = try SQLiteStore(path: nil)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let request = try ReleaseRequest.validated(model: "jukebox", version: "1.4.2", uri: "gs://models/jukebox/1.4.2")
        let id = try await store.admit(request, origin: "alice@laptop", now: t0).record.id
        try await store.audit(AuditEntry(at: t0, actor: "alice@laptop", action: "pushed", model: "jukebox", environment: "staging", promotionID: id, detail: "abc"))
        try await store.audit(AuditEntry(at: t0.addingTimeInterval(3600), actor: "carol", action: "merged", model: "jukebox", environment: "production", promotionID: id, detail: "pr"))
        try await store.audit(AuditEntry(at: t0.addingTimeInterval(7200), actor: "reconciler", action: "reported:behind", model: "radio", detail: "x"))
        let all = try await AuditReader(store: store).report(model: nil, since: nil)
        #expect(all.entries.map(\.actor) == ["reconciler", "carol", "alice@laptop"])
        let recent = try await AuditReader(store: store).report(model: "jukebox", since: t0.addingTimeInterval(1))
        #expect(recent.entries.map(\.actor) == ["carol"] && recent.entries[0].version == "1.4.2")
        let json = try #require(String(data: try all.json(), encoding: .utf8))
        #expect(json.contains(#""version":null"#) && json.contains(#""environment":null"#))
    }
}
