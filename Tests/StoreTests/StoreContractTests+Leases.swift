import Foundation
import Testing
import Promotion
import Store

/// Leases (DESIGN.md 8) and what replicas rely on: checked writes, concurrent admissions, concurrent migrations.
extension StoreContractTests {
    // Leases that must still be held are long, those that must have expired short, so that a slow machine only
    // makes the test's expectations more certain.
    @Test(arguments: StoreKind.allCases) func aLeaseHasOneHolderAndAnExpiredOneIsTakenOverWithAGreaterFencingNumber(
        _ kind: StoreKind
    ) async throws {
        let store = try await kind.open()
        let first = try #require(try await store.acquire("git://a", holder: "r1", duration: 60))
        #expect(first.holder == "r1")
        #expect(try await store.acquire("git://a", holder: "r2", duration: 60) == nil, "held and not expired")
        #expect(try await store.acquire("git://b", holder: "r2", duration: 60) != nil, "another repository is free")
        let renewed = try #require(try await store.renew(first, duration: 60))
        #expect(renewed.fencing == first.fencing && renewed.expiresAt >= first.expiresAt)
        let short = try #require(try await store.acquire("git://c", holder: "r1", duration: 0.5))
        try await Task.sleep(for: .milliseconds(1_500))
        let taken = try #require(try await store.acquire("git://c", holder: "r2", duration: 60), "expired: taken over")
        #expect(taken.fencing > short.fencing)
        #expect(try await store.renew(short, duration: 60) == nil, "the old holder cannot renew")
        try await store.release(short)  // a no-op: it is not the holder any more
        #expect(try await store.acquire("git://c", holder: "r3", duration: 60) == nil)
        try await store.release(taken)
        let third = try #require(try await store.acquire("git://c", holder: "r3", duration: 60), "released: free at once")
        #expect(third.fencing > taken.fencing)
    }

    @Test(arguments: StoreKind.allCases) func aRestartingReplicaEndsItsOwnLeasesButNotARunningCommands(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        let command = try #require(try await store.acquire("git://a", holder: Lease.commandHolderPrefix + "host:42", duration: 60))
        _ = try #require(try await store.acquire("git://b", holder: "r1", duration: 60))
        try await store.endLeasesOfGoneReplicas(restarting: "r1")
        #expect(try await store.acquire("git://b", holder: "r1", duration: 60) != nil, "its previous run's lease ended")
        #expect(try await store.acquire("git://a", holder: "r1", duration: 60) == nil, "the command still holds its lease")
        #expect(try await store.renew(command, duration: 60) != nil)
    }

    @Test(arguments: StoreKind.allCases) func aWriteUnderALostLeaseIsRefusedAndWritesNothing(_ kind: StoreKind) async throws {
        let store = try await kind.open(replica: "r1")
        let (record, _) = try await store.admit(try request("1.0.0"), origin: "api", now: t0)
        let lease = try #require(try await store.acquire("git://a", holder: "r1", duration: 60))
        try await Lease.$held.withValue([lease]) {
            try await store.setState(.running, detail: "under the lease", of: record.id, now: t0)
        }
        #expect(try await store.promotion(id: record.id)?.state == .running)
        // Another replica takes the repository over (here after a release; expiry is the test above).
        try await store.release(lease)
        _ = try #require(try await store.acquire("git://a", holder: "r2", duration: 60))
        await #expect(throws: LeaseLost.self) {
            try await Lease.$held.withValue([lease]) {
                try await store.setState(.done, detail: "too late", of: record.id, now: t0)
            }
        }
        await #expect(throws: LeaseLost.self) {
            try await Lease.$held.withValue([lease]) {
                try await store.appendStep(PromotionStep(environment: "staging", action: .pushed, commit: "abc", at: t0), to: record.id)
            }
        }
        let after = try #require(try await store.promotion(id: record.id))
        #expect(after.state == .running && after.steps.isEmpty, "nothing written by the ex-holder")
        // An expired lease refuses writes too, even before anyone takes it over.
        let brief = try #require(try await store.acquire("git://d", holder: "r1", duration: 0.3))
        try await Task.sleep(for: .milliseconds(800))
        await #expect(throws: LeaseLost.self) {
            try await Lease.$held.withValue([brief]) {
                try await store.setState(.done, detail: "expired", of: record.id, now: t0)
            }
        }
    }

    @Test(arguments: StoreKind.allCases) func theAuditLogNamesTheReplica(_ kind: StoreKind) async throws {
        let store = try await kind.open(replica: "replica-7")
        try await store.audit(AuditEntry(at: t0, actor: "service", action: "pushed", model: "jukebox", detail: "x"))
        #expect(try await store.auditLog(model: "jukebox", limit: 1).map(\.replica) == ["replica-7"])
    }

    @Test(arguments: StoreKind.allCases) func concurrentAdmissionsOfOneKeyMakeOnePromotion(_ kind: StoreKind) async throws {
        let place = try kind.newPlace()
        defer { place.remove() }
        // Two "replicas" on one database (for SQLite: two connections to one file).
        let stores = [try await place.open(replica: "a"), try await place.open(replica: "b")]
        let request = try request("5.0.0", key: "ci-run-9")
        let outcomes = try await withThrowingTaskGroup(of: (String, Bool).self) { group in
            for i in 0..<8 {
                let store = stores[i % 2]
                group.addTask {
                    let delivery = Delivery(id: "msg-\(i % 3)", digest: "d")
                    let admitted = try await store.admit(request, origin: "api", delivery: delivery, now: t0)
                    return (admitted.record.id, admitted.created)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(outcomes.map(\.0)).count == 1, "one promotion")
        #expect(outcomes.filter(\.1).count == 1, "created once")
        #expect(try await stores[0].promotions(model: "jukebox", limit: 10).count == 1)
    }

    @Test(arguments: StoreKind.allCases) func replicasStartingTogetherMigrateOnce(_ kind: StoreKind) async throws {
        let place = try kind.newPlace()
        defer { place.remove() }
        let stores = try await withThrowingTaskGroup(of: (any PromotionStore & LeaseStore).self) { group in
            for i in 0..<4 { group.addTask { try await place.open(replica: "r\(i)") } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let id = try await stores[0].admit(try request("6.0.0"), origin: "api", now: t0).record.id
        for store in stores { #expect(try await store.promotion(id: id) != nil) }
    }
}

extension StoreContractTests {
    @Test(arguments: StoreKind.allCases) func claimingTakesOnlyQueuedPromotions(_ kind: StoreKind) async throws {
        let store = try await kind.open(replica: "r1")
        let a = try await store.admit(try request("7.0.0"), origin: "api", now: t0).record.id
        let b = try await store.admit(try request("7.0.1"), origin: "api", now: t0.addingTimeInterval(1)).record.id
        try await store.setState(.running, detail: nil, of: b, now: t0)
        #expect(try await store.claim([b, a, "p-missing"], for: "r1") == [a])
    }
}
