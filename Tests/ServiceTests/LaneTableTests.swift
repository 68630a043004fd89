import Testing

@testable import Service

/// The scheduled reconciliation runs alone: it waits for the running lanes and holds new ones back until it is done.
@Suite struct LaneTableTests {
    actor Log {
        var entries: [String] = []
        func add(_ entry: String) { entries.append(entry) }
    }

    @Test func exclusiveWorkWaitsForRunningLanesAndHoldsNewOnesBack() async throws {
        let lanes = LaneTable()
        let log = Log()
        await lanes.start("repo-a") {
            await log.add("a started")
            try? await Task.sleep(for: .milliseconds(50))
            await log.add("a finished")
        }
        let answer = try await lanes.exclusively {
            await lanes.start("repo-b") { await log.add("b ran") }
            await log.add("exclusive ran")
            return 42
        }
        #expect(answer == 42)
        await lanes.drainAndWait()
        #expect(await log.entries == ["a started", "a finished", "exclusive ran", "b ran"])
    }

    @Test func aFailingExclusiveBodyStillReleasesTheLanes() async throws {
        struct Failure: Error {}
        let lanes = LaneTable()
        let log = Log()
        await #expect(throws: Failure.self) {
            try await lanes.exclusively {
                await lanes.start("repo-a") { await log.add("a ran") }
                throw Failure()
            }
        }
        await lanes.drainAndWait()
        #expect(await log.entries == ["a ran"])
    }
}
