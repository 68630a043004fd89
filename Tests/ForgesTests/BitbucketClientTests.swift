import ForgeSim
import Forges
import Foundation
import Promotion
import Testing

/// The Bitbucket Cloud client against the stand-in's Bitbucket flavour (shapes from Atlassian's API description;
/// every exchange is validated against it by Tests/python/test_forge_exchanges.py).
@Suite struct BitbucketClientTests {
    @Test func pullRequestLifecycleWithBodyPagination() async throws {
        try await ForgeHarness.run(.bitbucket, log: "bitbucket-lifecycle") { h in
            let forge = h.client(pageSize: 50)
            let mine = try await forge.createPullRequest(ForgeHarness.newPR())
            #expect(mine.state == .open && mine.head == ForgeHarness.botBranch && mine.base == "main")
            #expect(mine.url.hasSuffix("/acme/gitops/pull-requests/\(mine.number)"))
            #expect(try h.git("rev-parse", ForgeHarness.botBranch).hasPrefix(try #require(mine.headSHA)))

            try await h.server.seedOpenPullRequests(project: ForgeHarness.project, count: 120, prefix: "other/change-")
            let found = try #require(try await forge.findOpenPullRequest(head: ForgeHarness.botBranch, base: "main"))
            #expect(found.number == mine.number)  // on the third page, reached through `next`
            #expect(try await forge.listOpenPullRequests(headPrefix: "other/").count == 120)

            let again = try await forge.createPullRequest(ForgeHarness.newPR())  // "already exists" → the open one
            #expect(again.number == mine.number)

            let updated = try await forge.updatePullRequest(number: mine.number, title: "Promote jukebox 1.4.3", body: "new body")
            #expect(updated.title == "Promote jukebox 1.4.3" && updated.body == "new body")
            try await forge.requestReviewers(["557058:42", "{00000000-0000-4000-8000-000000000007}"], on: mine.number)
            try await forge.comment("metrics: accuracy 0.93", on: mine.number)
            try await forge.addLabels(["promotion"], to: mine.number)  // Bitbucket has no labels: nothing sent
            let stored = try #require(try await h.server.pullRequests(project: ForgeHarness.project).first { $0.number == mine.number })
            #expect(stored.reviewers == ["557058:42", "{00000000-0000-4000-8000-000000000007}"])
            #expect(stored.comments.map(\.body) == ["metrics: accuracy 0.93"])

            let merged = try await forge.merge(number: mine.number, method: .merge)
            #expect(merged.state == .merged)
            #expect(merged.mergeCommitSHA == (try h.git("rev-parse", "main")))
            try await forge.deleteBranch(ForgeHarness.botBranch)
            try await forge.deleteBranch(ForgeHarness.botBranch)
            #expect(try h.git("branch", "--list", ForgeHarness.botBranch).isEmpty)
        }
    }

    @Test func declineAsSupersededAndErrors() async throws {
        try await ForgeHarness.run(.bitbucket, log: "bitbucket-decline") { h in
            let forge = h.client()
            let old = try await forge.createPullRequest(ForgeHarness.newPR())
            try await forge.close(number: old.number, comment: "Superseded by #2")
            #expect(try await forge.pullRequest(number: old.number).state == .closed)

            await h.server.inject(ForgeSimFault(.tooManyRequests, count: 1, retryAfter: 2))
            #expect(try await forge.findOpenPullRequest(head: ForgeHarness.botBranch, base: "main") == nil)
            #expect(h.sleeper.recorded == [.seconds(2)])

            let bad = h.client(token: "wrong-bitbucket-token")
            let error = try await #require(throws: ForgeFailure.self) { try await bad.pullRequest(number: old.number) }
            #expect(error.kind == .unauthorized && error.message.contains("Token is invalid"))
            #expect(!error.description.contains("wrong-bitbucket-token"))
            let missing = try await #require(throws: ForgeFailure.self) { try await forge.pullRequest(number: 77) }
            #expect(missing.kind == .notFound)
        }
    }

    @Test func basicAuthWithAnAppPassword() async throws {
        try await ForgeHarness.run(.bitbucket, log: "bitbucket-basic") { h in
            let forge = Forges.makeClient(ForgeConfig(
                kind: .bitbucket, apiBase: h.server.apiBase, project: ForgeHarness.project, token: "s3cret-forge-token", username: "promote-bot"))
            let pr = try await forge.createPullRequest(ForgeHarness.newPR())
            #expect(pr.number == 1)
        }
    }
}
