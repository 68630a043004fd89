import Testing
@testable import Promotion

@Suite struct ReviewContextTests {
    func context(previous: (String, String)? = ("1.4.1", "gs://models/jukebox/1.4.1")) throws -> ReviewContext {
        let request = try ReleaseRequest.validated(
            model: "jukebox", version: "1.4.2", uri: "gs://models/jukebox/1.4.2", metrics: ["accuracy": 0.93, "latency_p99_ms": 180],
            source: .init(commit: "0123abcd", runURL: "https://ci.example/run/42"))
        let gate = try MetricGate(metric: "accuracy", expression: ">= production - 0.01")
        let diff = UnifiedDiff.make(old: "a: 1\nuri: gs://models/jukebox/1.4.1 # live\n", new: "a: 1\nuri: gs://models/jukebox/1.4.2 # live\n",
                                    path: "environments/production/jukebox.yaml")
        return ReviewContext(
            request: request, environment: "production", previous: previous, previousMetrics: ["accuracy": 0.91],
            gateResults: [gate.evaluate(candidate: request.metrics, production: ["accuracy": 0.91])],
            files: [.init(path: "environments/production/jukebox.yaml", diff: diff)],
            superseded: [.init(version: "1.4.2-rc.1", url: "http://forge/pr/3")], promotionID: "p-1")
    }

    @Test func bodyLetsAReviewerDecide() throws {
        let body = try context().pullRequestBody()
        #expect(body.contains("| Now in production | 1.4.1 | `gs://models/jukebox/1.4.1` |"))
        #expect(body.contains("| **Proposed** | **1.4.2** | `gs://models/jukebox/1.4.2` |"))
        #expect(body.contains("| accuracy | 0.91 | 0.93 | +0.02 | ✅ `>= production - 0.01` |"))
        #expect(body.contains("| latency_p99_ms | – | 180 |  |  |"))
        #expect(body.contains("- Commit: `0123abcd`"))
        #expect(body.contains("-uri: gs://models/jukebox/1.4.1 # live\n+uri: gs://models/jukebox/1.4.2 # live\n```"))
        #expect(body.contains("- 1.4.2-rc.1 (http://forge/pr/3)"))
        #expect(body.contains("`promote rollback jukebox --env production --to 1.4.1`"))
        #expect(!body.contains("&#"), "no HTML escaping")
        #expect(ReviewContext.metadata(inBody: body) == [
            "model": "jukebox", "version": "1.4.2", "uri": "gs://models/jukebox/1.4.2", "environment": "production",
            "previousVersion": "1.4.1", "promotion": "p-1",
        ])
    }

    @Test func firstDeploymentHasNoRollbackVersion() throws {
        let body = try context(previous: nil).pullRequestBody()
        #expect(body.contains("This is the first version in production"))
        #expect(try context(previous: nil).pullRequestTitle() == "Promote jukebox 1.4.2 to production")
    }

    @Test func titleAndCommitMessage() throws {
        let c = try context()
        #expect(try c.pullRequestTitle() == "Promote jukebox 1.4.1 → 1.4.2 to production")
        let message = try c.commitMessage()
        #expect(message.hasPrefix("Promote jukebox 1.4.2 to production\n\njukebox: 1.4.1 -> 1.4.2"))
        #expect(message.contains("\nRun: https://ci.example/run/42\n"))
        #expect(Provenance.parse(commitMessage: message).first?.event == "p-1")
    }

    @Test func fenceOutgrowsBackticksInTheDiff() {
        #expect(ReviewContext.fence(for: "a ```` b") == "`````")
        #expect(ReviewContext.fence(for: "plain") == "```")
    }

    @Test func metadataCannotCloseTheComment() throws {
        var c = try context()
        c.environment = "a-->b"
        #expect(!c.metadata.contains("-->"))
    }
}
