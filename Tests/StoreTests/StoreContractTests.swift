import Foundation
import Testing
import Promotion
@testable import Store
import TestSupport

/// The contract of a ``PromotionStore`` (and its leases): every test runs against SQLite and against a real
/// PostgreSQL started by the test process (``StoreKind``).
@Suite(.serialized) struct StoreContractTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    func request(_ version: String, key: String? = nil) throws -> ReleaseRequest {
        try ReleaseRequest.validated(model: "jukebox", version: version, uri: "gs://models/jukebox/\(version)", metrics: ["accuracy": 0.9], idempotencyKey: key)
    }

    @Test(arguments: StoreKind.allCases) func driftIsReplacedByEveryRun(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        #expect(try await store.lastReconciliation() == nil)
        #expect(try await store.drift(model: nil).isEmpty)
        let behind = DriftFinding(model: "jukebox", environment: "staging", kind: .behind, expected: "1.4.3", actual: "1.4.2", action: .reported)
        let closed = DriftFinding(
            model: "music", environment: "production", kind: .pullRequestClosed, expected: "2.0", actual: "closed #3", action: .reported,
            detail: "drift: report")
        try await store.replaceDrift([behind, closed], at: t0)
        #expect(try await store.drift(model: nil).map(\.finding) == [behind, closed])
        #expect(try await store.drift(model: "music") == [DriftRecord(finding: closed, seenAt: t0)])
        #expect(try await store.lastReconciliation() == t0)
        // The next run replaces the whole set: what was repaired meanwhile is gone.
        try await store.replaceDrift([], at: t0.addingTimeInterval(60))
        #expect(try await store.drift(model: nil).isEmpty)
        #expect(try await store.lastReconciliation() == t0.addingTimeInterval(60))
    }

    @Test(arguments: StoreKind.allCases) func admitIsIdempotentOnTheKey(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        let first = try await store.admit(try request("1.4.2"), origin: "cli", now: t0)
        let again = try await store.admit(try request("1.4.2"), origin: "api", now: t0.addingTimeInterval(5))
        #expect(first.created && !again.created)
        #expect(again.record.id == first.record.id)
        #expect(again.record.origin == "cli")
        #expect(again.record.request.metrics == ["accuracy": 0.9])
        let other = try await store.admit(try request("1.4.2", key: "run-42"), origin: "api", now: t0)
        #expect(other.created && other.record.id != first.record.id)
    }

    @Test(arguments: StoreKind.allCases) func stepsAndStatesAreKept(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        let id = try await store.admit(try request("1.4.2"), origin: "cli", now: t0).record.id
        try await store.appendStep(PromotionStep(environment: "staging", action: .pushed, commit: "abc", at: t0), to: id)
        try await store.appendStep(PromotionStep(environment: "production", action: .pullRequestOpened, pullRequestNumber: 7,
                                                 pullRequestURL: "http://forge/pr/7", at: t0), to: id)
        try await store.setState(.awaitingReview, detail: nil, of: id, now: t0)
        let record = try #require(try await store.promotion(id: id))
        #expect(record.state == .awaitingReview)
        #expect(record.steps.map(\.action) == [.pushed, .pullRequestOpened])
        #expect(record.steps[1].pullRequestNumber == 7)
        #expect(try await store.promotions(in: [.awaitingReview], limit: 10).map(\.id) == [id])
        #expect(try await store.promotions(in: [.queued], limit: 10).isEmpty)
        await #expect(throws: StoreError.self) { try await store.setState(.done, detail: nil, of: "nope", now: t0) }
    }

    @Test(arguments: StoreKind.allCases) func ledgerKeepsLiveAndNewerProposal(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        func entry(_ v: String, _ env: String, _ status: LedgerEntry.Status) -> LedgerEntry {
            LedgerEntry(model: "jukebox", environment: env, version: v, uri: "gs://m/\(v)", status: status, recordedAt: t0)
        }
        try await store.record(entry("1.4.1", "production", .live))
        try await store.record(entry("1.4.2", "production", .proposed))
        try await store.record(entry("1.4.2", "staging", .live))
        var current = try await store.ledger(model: "jukebox", environment: nil)
        #expect(current.map { "\($0.environment):\($0.version):\($0.status.rawValue)" }.sorted() ==
                ["production:1.4.1:live", "production:1.4.2:proposed", "staging:1.4.2:live"])
        try await store.record(entry("1.4.2", "production", .live))
        current = try await store.ledger(model: nil, environment: "production")
        #expect(current.map(\.version) == ["1.4.2"])
        #expect(try await store.ledgerHistory(model: "jukebox", environment: "production").map(\.version) == ["1.4.2", "1.4.2", "1.4.1"])
    }

    @Test(arguments: StoreKind.allCases) func persistsAcrossReopen(_ kind: StoreKind) async throws {
        let place = try kind.newPlace()
        defer { place.remove() }
        let id: String
        do {
            let store = try await place.open()
            id = try await store.admit(try request("2.0.0"), origin: "cli", now: t0).record.id
            try await store.audit(AuditEntry(at: t0, actor: "cli", action: "pushed", model: "jukebox", detail: "x"))
        }
        let reopened = try await place.open()
        #expect(try await reopened.promotion(id: id)?.request.version == "2.0.0")
        #expect(try await reopened.auditLog(model: "jukebox", limit: 5).map(\.action) == ["pushed"])
    }
}

@Suite struct StoreLocationTests {
    @Test func locationFollowsConfigThenXDG() throws {
        #expect(try StoreLocation.path(for: "sqlite:///var/lib/p.db") == "/var/lib/p.db")
        #expect(try StoreLocation.path(for: nil, environment: ["XDG_STATE_HOME": "/x"]) == "/x/promote/promote.db")
        #expect(try StoreLocation.path(for: nil, environment: ["HOME": "/home/u"]) == "/home/u/.local/state/promote/promote.db")
        #expect(throws: StoreError.self) { try StoreLocation.path(for: "mysql://x") }
    }
}
