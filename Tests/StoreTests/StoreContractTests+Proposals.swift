import Foundation
import Testing
import Promotion
import Store

/// The proposal records of DESIGN.md 1a in the store, the idempotency rule, and the attempt counter.
extension StoreContractTests {
    func proposal(_ state: ProposalState, version: String = "1.4.2", pr: Int? = nil) -> Proposal {
        Proposal(
            model: "jukebox", version: version, environment: "production", uri: "gs://models/jukebox/\(version)", state: state,
            pullRequestNumber: pr, updatedAt: t0)
    }

    @Test(arguments: StoreKind.allCases) func aProposalMovesOnlyForward(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        #expect(try await store.saveProposal(proposal(.planned)).state == .planned)
        #expect(try await store.saveProposal(proposal(.pullRequestOpen, pr: 4)).state == .pullRequestOpen)
        // Backwards is refused: the stored proposal comes back unchanged.
        #expect(try await store.saveProposal(proposal(.planned)).state == .pullRequestOpen)
        #expect(try await store.saveProposal(proposal(.rejected)).state == .rejected)
        #expect(try await store.saveProposal(proposal(.pullRequestOpen)).state == .rejected, "never re-opened")
        let stored = try #require(try await store.proposal(model: "jukebox", version: "1.4.2", environment: "production"))
        #expect(stored.pullRequestNumber == 4, "what was known is kept")
        // One per (model, version, environment).
        _ = try await store.saveProposal(proposal(.pullRequestOpen, version: "1.4.3", pr: 5))
        #expect(try await store.proposals(model: "jukebox", environment: "production").count == 2)
    }

    @Test(arguments: StoreKind.allCases) func theDefaultKeyHoldsTheTargetsAndAReusedKeyIsAConflict(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        let staging = try ReleaseRequest.validated(model: "jukebox", version: "1.1.0", uri: "gs://m/1.1.0", environments: ["staging"])
        let production = try ReleaseRequest.validated(model: "jukebox", version: "1.1.0", uri: "gs://m/1.1.0", environments: ["production"])
        #expect(staging.idempotencyKey != production.idempotencyKey)
        #expect(try await store.admit(staging, origin: "cli", now: t0).created)
        #expect(try await store.admit(production, origin: "cli", now: t0).created, "--to production after --to staging is new")
        let first = try ReleaseRequest.validated(model: "jukebox", version: "2.0.0", uri: "gs://m/2.0.0", idempotencyKey: "ci-77")
        let other = try ReleaseRequest.validated(model: "jukebox", version: "2.0.1", uri: "gs://m/2.0.1", idempotencyKey: "ci-77")
        _ = try await store.admit(first, origin: "api", now: t0)
        await #expect(throws: AdmissionConflict.self) { try await store.admit(other, origin: "api", now: t0) }
    }

    @Test(arguments: StoreKind.allCases) func aFailedPromotionSentAgainIsQueuedAgain(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        let request = try ReleaseRequest.validated(model: "jukebox", version: "3.0.0", uri: "gs://m/3.0.0")
        let (record, _) = try await store.admit(request, origin: "api", now: t0)
        try await store.setState(.failed, detail: "boom", of: record.id, now: t0)
        let again = try await store.admit(request, origin: "api", now: t0)
        #expect(!again.created && again.record.id == record.id && again.record.state == .queued)
    }

    @Test(arguments: StoreKind.allCases) func startsAreCountedAndCleared(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        let request = try ReleaseRequest.validated(model: "jukebox", version: "3.0.0", uri: "gs://m/3.0.0")
        let (record, _) = try await store.admit(request, origin: "api", now: t0)
        #expect(try await store.beginAttempt(of: record.id) == 1)
        #expect(try await store.beginAttempt(of: record.id) == 2)
        #expect(try await store.attempts(of: record.id) == 2)
        try await store.endAttempts(of: record.id)
        #expect(try await store.attempts(of: record.id) == 0)
    }
}
