import Foundation
import Promotion
import Service
import Testing

@Suite struct QueueCoalescerTests {
    func record(_ id: String, _ model: String, _ version: String, environments: [String]? = nil) throws -> PromotionRecord {
        let request = try ReleaseRequest.validated(
            model: model, version: version, uri: "gs://m/\(model)/\(version)", environments: environments)
        return PromotionRecord(id: id, request: request, origin: "api", state: .queued, createdAt: Date(), updatedAt: Date())
    }

    @Test func onlyTheNewestVersionOfAModelRunsAndTheOthersAreSupersededByIt() throws {
        let batch = [
            try record("a", "jukebox", "1.0.0"), try record("b", "fraud", "2.0.0"), try record("c", "jukebox", "1.2.0"),
            try record("d", "jukebox", "1.1.0"),
        ]
        let plan = QueueCoalescer.coalesce(batch)
        #expect(plan.runnable.map(\.id) == ["c", "b"])
        #expect(plan.superseded.map { "\($0.0.id)->\($0.1.id)" } == ["a->c", "d->c"])
    }

    @Test func differentEnvironmentsAreNotCoalesced() throws {
        let plan = QueueCoalescer.coalesce([
            try record("a", "jukebox", "1.0.0", environments: ["staging"]), try record("b", "jukebox", "1.1.0"),
        ])
        #expect(plan.runnable.map(\.id) == ["a", "b"])
        #expect(plan.superseded.isEmpty)
    }

    @Test func aRetrainedSameVersionReplacesTheEarlierEvent() throws {
        let plan = QueueCoalescer.coalesce([try record("a", "jukebox", "1.0.0"), try record("b", "jukebox", "1.0.0")])
        #expect(plan.runnable.map(\.id) == ["b"])
    }
}
