import CurlHTTP
import ForgeSim
import Forges
import Foundation
import Promotion
import Testing

/// The whole life of the bot's pull request against each stand-in flavour: open, find, update, label, review,
/// comment, read, merge (a real merge in the bare repository), delete the branch.
@Suite struct ForgeClientLifecycleTests {
    @Test(arguments: [ForgeSimFlavour.github, .gitlab, .gitea])
    func pullRequestLifecycle(flavour: ForgeSimFlavour) async throws {
        try await ForgeHarness.run(flavour, log: "lifecycle-\(flavour.rawValue)") { h in
            let forge = h.client()
            if flavour == .gitea { try await h.server.defineLabels(project: ForgeHarness.project, ["promotion"]) }

            #expect(try await forge.findOpenPullRequest(head: ForgeHarness.botBranch, base: "main") == nil)
            let created = try await forge.createPullRequest(ForgeHarness.newPR())
            #expect(created.state == .open)
            #expect(created.head == ForgeHarness.botBranch && created.base == "main")
            #expect(created.headSHA == (try h.git("rev-parse", ForgeHarness.botBranch)))
            #expect(created.url.hasPrefix(h.server.origin))

            let found = try #require(try await forge.findOpenPullRequest(head: ForgeHarness.botBranch, base: "main"))
            #expect(found.number == created.number)

            let updated = try await forge.updatePullRequest(number: created.number, title: "Promote jukebox 1.4.3 to production", body: "new body")
            #expect(updated.title == "Promote jukebox 1.4.3 to production" && updated.body == "new body")

            try await forge.addLabels(["promotion"], to: created.number)
            try await forge.requestReviewers(["alice"], on: created.number)
            try await forge.comment("Metrics: accuracy 0.93 (+0.01)", on: created.number)

            let read = try await forge.pullRequest(number: created.number)
            #expect(read.labels == ["promotion"])
            #expect(read.state == .open)
            #expect(read.mergeable == true)
            let stored = try #require(try await h.server.pullRequests(project: ForgeHarness.project).first { $0.number == created.number })
            #expect(stored.reviewers == ["alice"])
            #expect(stored.comments.map(\.body) == ["Metrics: accuracy 0.93 (+0.01)"])

            let merged = try await forge.merge(number: created.number, method: .merge)
            #expect(merged.state == .merged)
            let tip = try h.git("rev-parse", "main")
            #expect(merged.mergeCommitSHA == tip)
            #expect(try h.git("rev-list", "--parents", "-n", "1", "main").split(separator: " ").count == 3)  // a real merge commit
            #expect(try h.git("show", "main:change-0.yaml") == "version: 0")

            try await forge.deleteBranch(ForgeHarness.botBranch)
            #expect(try h.git("branch", "--list", ForgeHarness.botBranch).isEmpty)
            try await forge.deleteBranch(ForgeHarness.botBranch)  // already gone: not an error
            #expect(forge.requestBudget().requests > 10)
        }
    }

    @Test(arguments: [ForgeSimFlavour.github, .gitlab, .gitea])
    func alreadyExistsResolvesToTheOpenPullRequest(flavour: ForgeSimFlavour) async throws {
        try await ForgeHarness.run(flavour, log: "already-exists-\(flavour.rawValue)") { h in
            let forge = h.client()
            let first = try await forge.createPullRequest(ForgeHarness.newPR())
            let again = try await forge.createPullRequest(ForgeHarness.newPR())  // a retried create after a lost answer
            #expect(again.number == first.number)
            let open = try await h.server.pullRequests(project: ForgeHarness.project).filter { $0.state == .open }
            #expect(open.count == 1)
        }
    }

    /// The forge opens the pull request but its answer is lost (502): the retried create meets "already exists"
    /// and resolves to the pull request the first attempt opened. Never a second one.
    @Test(arguments: [ForgeSimFlavour.github, .gitlab, .gitea, .bitbucket])
    func aLostCreateAnswerIsRetriedIntoTheSamePullRequest(flavour: ForgeSimFlavour) async throws {
        try await ForgeHarness.run(flavour, log: "lost-answer-\(flavour.rawValue)") { h in
            let forge = h.client()
            await h.server.inject(ForgeSimFault(.lostAnswer, method: "POST", count: 1))
            let pr = try await forge.createPullRequest(ForgeHarness.newPR())
            let all = try await h.server.pullRequests(project: ForgeHarness.project)
            #expect(all.count == 1)
            #expect(pr.number == all[0].number && pr.state == .open)
            #expect(h.sleeper.recorded.count == 1)
        }
    }

    @Test(arguments: [ForgeSimFlavour.github, .gitlab, .gitea])
    func supersedeClosesWithALinkAndHumanMergesAreSeen(flavour: ForgeSimFlavour) async throws {
        try await ForgeHarness.run(flavour, log: "supersede-\(flavour.rawValue)") { h in
            let forge = h.client()
            let old = try await forge.createPullRequest(ForgeHarness.newPR())
            let newer = try await forge.createPullRequest(ForgeHarness.newPR("promote/production/radio", title: "Promote radio 2.0.0"))
            try await forge.close(number: old.number, comment: "Superseded by \(newer.url)")
            let closed = try await forge.pullRequest(number: old.number)
            #expect(closed.state == .closed && closed.mergeCommitSHA == nil)
            let stored = try #require(try await h.server.pullRequests(project: ForgeHarness.project).first { $0.number == old.number })
            #expect(stored.comments.map(\.body) == ["Superseded by \(newer.url)"])

            try await h.server.mergeAsHuman(project: ForgeHarness.project, number: newer.number)
            let seen = try await forge.pullRequest(number: newer.number)
            #expect(seen.state == .merged)
            #expect(seen.mergeCommitSHA == (try h.git("rev-parse", "main")))
            #expect(try await forge.listOpenPullRequests(headPrefix: "promote/").isEmpty)
        }
    }

    @Test(arguments: [ForgeSimFlavour.github, .gitlab, .gitea])
    func unknownPullRequestIsNotFoundAndNotRetried(flavour: ForgeSimFlavour) async throws {
        try await ForgeHarness.run(flavour, log: "not-found-\(flavour.rawValue)") { h in
            let forge = h.client()
            let error = try await #require(throws: ForgeFailure.self) { try await forge.pullRequest(number: 999) }
            #expect(error.kind == .notFound && error.status == 404)
            #expect(error.request.hasPrefix("GET ") && error.request.hasSuffix("/999"))
            #expect(forge.requestBudget().requests == 1)
        }
    }

    @Test func giteaLabelThatDoesNotExistIsNamed() async throws {
        try await ForgeHarness.run(.gitea, log: "gitea-missing-label") { h in
            let forge = h.client()
            let pr = try await forge.createPullRequest(ForgeHarness.newPR())
            let error = try await #require(throws: ForgeFailure.self) { try await forge.addLabels(["promotion", "no-such-label"], to: pr.number) }
            #expect(error.kind == .notFound)
            #expect(error.message.contains("'no-such-label'"))
        }
    }

    @Test func gitlabDraftAndProjectPathEncoding() async throws {
        try await ForgeHarness.run(.gitlab, log: "gitlab-draft") { h in
            let forge = h.client()
            var new = ForgeHarness.newPR()
            new.draft = true
            let pr = try await forge.createPullRequest(new)
            #expect(pr.draft && pr.title.hasPrefix("Draft: "))
            #expect(pr.url.contains("/acme/gitops/-/merge_requests/\(pr.number)"))
        }
    }
}

/// Forgejo speaks the Gitea API; clients may share one worker pool.
@Suite struct ForgejoAndSharedPoolTests {
    @Test func forgejoClientsShareAPool() async throws {
        try await ForgeHarness.run(.gitea, log: "forgejo-shared-pool") { h in
            let pool = CurlWorkerPool(threads: 1)
            let config = ForgeConfig(kind: .forgejo, apiBase: h.server.apiBase, project: ForgeHarness.project, token: "s3cret-forge-token")
            let a = Forges.makeClient(config, pool: pool)
            let b = Forges.makeClient(config, pool: pool)
            #expect(a.kind == .forgejo)
            let created = try await a.createPullRequest(ForgeHarness.newPR())
            let seen = try await b.pullRequest(number: created.number)
            #expect(seen.number == created.number && seen.state == .open)
            let merged = try await b.merge(number: created.number, method: .squash)
            #expect(merged.state == .merged)
            #expect(try h.git("rev-list", "--parents", "-n", "1", "main").split(separator: " ").count == 2)  // squash: one parent
        }
    }
}
