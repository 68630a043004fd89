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

/// Each repository has one writer at a time: a lane waits while another lane that shares a repository runs.
@Suite struct LaneOverlapTests {
    @Test func lanesSharingARepositoryWaitForEachOther() async throws {
        let lanes = LaneTable()
        let log = LaneTableTests.Log()
        let release = AsyncStream<Void>.makeStream()
        await lanes.start("https://git/a") {
            await log.add("a started")
            for await _ in release.stream { break }
            await log.add("a finished")
        }
        await lanes.start("https://git/a https://git/b") { await log.add("a+b ran") }
        await lanes.start("https://git/c") { await log.add("c ran") }
        // c shares nothing with a, so it runs while a is held; a+b waits for a.
        try await Self.waitFor("c ran", in: log)
        #expect(await !log.entries.contains("a+b ran"))
        release.continuation.yield()
        try await Self.waitFor("a+b ran", in: log)
        let entries = await log.entries
        let finished = try #require(entries.firstIndex(of: "a finished"))
        let both = try #require(entries.firstIndex(of: "a+b ran"))
        #expect(finished < both)
    }

    /// Waits (at most 10 s) until `entry` is logged.
    static func waitFor(_ entry: String, in log: LaneTableTests.Log) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while await !log.entries.contains(entry) {
            try #require(ContinuousClock.now < deadline, "\(entry) never happened")
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    @Test func overlapIsBySharedRepository() {
        #expect(LaneTable.overlap("a", "a"))
        #expect(LaneTable.overlap("a", "a b"))
        #expect(LaneTable.overlap("b c", "a b"))
        #expect(!LaneTable.overlap("a", "b c"))
        #expect(!LaneTable.overlap("", "a"))
    }
}

/// `service.maxLanes`: a replica drains at most that many lanes at once; the next starts when one finishes.
@Suite struct LaneCapTests {
    @Test func aLaneBeyondTheCapWaitsForOneToFinish() async throws {
        let lanes = LaneTable(maxRunning: 2)
        let log = LaneTableTests.Log()
        let release = AsyncStream<Void>.makeStream()
        for name in ["a", "b"] {
            await lanes.start("https://git/\(name)") {
                await log.add("\(name) started")
                for await _ in release.stream { break }
            }
        }
        await lanes.start("https://git/c") { await log.add("c started") }
        try await LaneOverlapTests.waitFor("b started", in: log)
        try await Task.sleep(for: .milliseconds(50))
        #expect(await !log.entries.contains("c started"), "two lanes run; the third waits")
        release.continuation.yield()
        try await LaneOverlapTests.waitFor("c started", in: log)
        release.continuation.finish()
        await lanes.drainAndWait()
    }
}
