import Forges
import Foundation
import Testing
import TestSupport

/// Forge webhook deliveries (the copied sample payloads in Tests/Fixtures/webhooks/forges) decoded into events.
@Suite struct ForgeWebhookDecoderTests {
    static let folder = TestSupport.repositoryRoot + "/Tests/Fixtures/webhooks/forges"

    func body(_ path: String) throws -> [UInt8] {
        Array(try #require(FileManager.default.contents(atPath: Self.folder + "/" + path), "fixture \(path)"))
    }

    func pullRequest(_ kind: ForgeKind, _ headers: [String: String], _ body: [UInt8]) throws -> PullRequestEvent {
        let event = try ForgeWebhookDecoder.decode(kind: kind, headers: headers, body: body)
        guard case .pullRequest(let pr) = event else {
            Issue.record("expected a pull request event, got \(event)")
            throw CancellationError()
        }
        return pr
    }

    // MARK: GitHub

    static let codertocat = PullRequestEvent(
        number: 2, action: .opened, headBranch: "changes", baseBranch: "master", repository: "Codertocat/Hello-World",
        url: "https://github.com/Codertocat/Hello-World/pull/2", title: "Update the README with new information.",
        body: "This is a pretty simple change that we need to pull into master.", actor: "Codertocat")

    @Test(arguments: [
        ("opened", PullRequestEvent.Action.opened), ("closed", .closed), ("synchronize", .synchronized), ("labeled", .other("labeled")),
    ])
    func githubPullRequest(_ file: String, _ action: PullRequestEvent.Action) throws {
        let pr = try pullRequest(.github, ["x-github-event": "pull_request"], try body("github/\(file).payload.json"))
        var expected = Self.codertocat
        expected.action = action
        #expect(pr == expected)  // closed unmerged: no merge commit, though GitHub sends its test-merge sha
    }

    @Test func githubMergedIsClosedWithMergedTrue() throws {
        let closed = String(decoding: try body("github/closed.payload.json"), as: UTF8.self)
        #expect(closed.contains("\"merged\": false,"))
        let merged = Array(closed.replacingOccurrences(of: "\"merged\": false,", with: "\"merged\": true,").utf8)
        let pr = try pullRequest(.github, ["x-github-event": "pull_request"], merged)
        #expect(pr.action == .merged)
        #expect(pr.mergeCommitSHA == "c4295bd74fb0f4fda03689c3df3f2803b658fd85")
    }

    @Test func githubPingAndOtherEvents() throws {
        #expect(try ForgeWebhookDecoder.decode(kind: .github, headers: ["x-github-event": "ping"], body: try body("github/ping.payload.json")) == .ping)
        let push = try ForgeWebhookDecoder.decode(kind: .github, headers: ["x-github-event": "push"], body: Array("{}".utf8))
        #expect(push == .ignored(reason: "GitHub event push is not a pull request event"))
    }

    // MARK: Gitea / Forgejo

    @Test func giteaOpenedMergedAndLabel() throws {
        let headers = ["x-gitea-event": "pull_request"]
        let opened = try pullRequest(.gitea, headers, try body("gitea/pull-request-event.go-playground.json"))
        #expect(
            opened
                == PullRequestEvent(
                    number: 2, action: .opened, headBranch: "master", baseBranch: "master", repository: "example/example",
                    url: "http://localhost:3000/example/example/pulls/2", title: "update", body: "", actor: "example2"))
        let merged = try pullRequest(.gitea, headers, try body("gitea/pull-request-merged.derived.json"))
        #expect(merged.action == .merged && merged.mergeCommitSHA == "0123456789abcdef0123456789abcdef01234567")
        #expect(merged.actor == "example2")  // who merged: the sender
        // Gitea sends label changes under X-Gitea-Event: pull_request with their own action.
        let label = try pullRequest(.gitea, headers, try body("gitea/pull-request-label-event.go-playground.json"))
        #expect(label.action == .other("label_updated") && label.mergeCommitSHA == nil)
    }

    @Test func forgejoReadsEitherEventHeader() throws {
        let payload = try body("gitea/pull-request-merged.derived.json")
        #expect(try pullRequest(.forgejo, ["x-forgejo-event": "pull_request"], payload).action == .merged)
        #expect(try pullRequest(.forgejo, ["x-gitea-event": "pull_request"], payload).action == .merged)
        let comment = try ForgeWebhookDecoder.decode(
            kind: .forgejo, headers: ["x-forgejo-event": "issue_comment"], body: try body("gitea/pull-request-comment-event.go-playground.json"))
        #expect(comment == .ignored(reason: "Forgejo event issue_comment is not a pull request event"))
        #expect(throws: ForgeWebhookError.missingHeader("X-Forgejo-Event")) {
            try ForgeWebhookDecoder.decode(kind: .forgejo, headers: [:], body: payload)
        }
    }

    // MARK: GitLab

    @Test func gitlabMergeRequests() throws {
        let headers = ["x-gitlab-event": "Merge Request Hook"]
        let opened = try pullRequest(.gitlab, headers, try body("gitlab/merge_request.go-gitlab.json"))
        #expect(
            opened
                == PullRequestEvent(
                    number: 1, action: .opened, headBranch: "ms-viewport", baseBranch: "master", repository: "gitlabhq/gitlab-test",
                    url: "http://example.com/diaspora/merge_requests/1", title: "MS-Viewport", body: "", actor: "user1"))
        let merged = try pullRequest(.gitlab, headers, try body("gitlab/merge_request.merged.derived.json"))
        #expect(merged.action == .merged && merged.mergeCommitSHA == nil)  // the sample's merge_commit_sha is null

        let note = try ForgeWebhookDecoder.decode(
            kind: .gitlab, headers: ["x-gitlab-event": "Note Hook"], body: try body("gitlab/note_merge_request.go-gitlab.json"))
        #expect(note == .ignored(reason: "GitLab event Note Hook is not a merge request event"))
    }

    @Test(arguments: [
        ("close", PullRequestEvent.Action.closed), ("reopen", .reopened), ("update", .other("update")), ("approved", .other("approved")),
    ])
    func gitlabActions(_ name: String, _ action: PullRequestEvent.Action) throws {
        let payload = String(decoding: try body("gitlab/merge_request.go-gitlab.json"), as: UTF8.self)
        #expect(payload.contains("\"action\": \"open\""))
        let edited = payload.replacingOccurrences(of: "\"action\": \"open\"", with: "\"action\": \"\(name)\"")
        #expect(try pullRequest(.gitlab, ["x-gitlab-event": "Merge Request Hook"], Array(edited.utf8)).action == action)
        // An update carrying `oldrev` is a push to the source branch.
        if name == "update" {
            let pushed = edited.replacingOccurrences(of: "\"action\": \"update\"", with: "\"action\": \"update\", \"oldrev\": \"abc\"")
            #expect(try pullRequest(.gitlab, ["x-gitlab-event": "Merge Request Hook"], Array(pushed.utf8)).action == .synchronized)
        }
    }

    // MARK: Bitbucket

    @Test(arguments: [
        ("pullrequest:created", "pull-request-created.go-playground.json", PullRequestEvent.Action.opened),
        ("pullrequest:updated", "pull-request-updated.go-playground.json", .synchronized),
        ("pullrequest:fulfilled", "pullrequest-fulfilled.derived.json", .merged),
        ("pullrequest:rejected", "pullrequest-rejected.derived.json", .closed),
    ])
    func bitbucketPullRequests(_ key: String, _ file: String, _ action: PullRequestEvent.Action) throws {
        let pr = try pullRequest(.bitbucket, ["x-event-key": key], try body("bitbucket/" + file))
        #expect(
            pr
                == PullRequestEvent(
                    number: 1, action: action, mergeCommitSHA: action == .merged ? "764413d85e29" : nil, headBranch: "branch2",
                    baseBranch: "master", repository: "team_name/repo_name", url: "https://api.bitbucket.org/pullrequest_id",
                    title: "Title of pull request", body: "Description of pull request", actor: "emmap1"))
    }

    @Test func bitbucketOtherKeys() throws {
        let comment = try ForgeWebhookDecoder.decode(
            kind: .bitbucket, headers: ["x-event-key": "pullrequest:comment_created"],
            body: try body("bitbucket/pull-request-comment-created.go-playground.json"))
        #expect(comment == .ignored(reason: "Bitbucket event pullrequest:comment_created is not a pull request state change"))
        #expect(try ForgeWebhookDecoder.decode(kind: .bitbucket, headers: ["x-event-key": "diagnostics:ping"], body: []) == .ping)
        #expect(throws: ForgeWebhookError.missingHeader("X-Event-Key")) {
            try ForgeWebhookDecoder.decode(kind: .bitbucket, headers: ["x-github-event": "pull_request"], body: [])
        }
    }

    // MARK: Malformed input

    @Test func malformedInputIsNamed() throws {
        let github = ["x-github-event": "pull_request"]
        let notJSON = try #require(throws: ForgeWebhookError.self) {
            try ForgeWebhookDecoder.decode(kind: .github, headers: github, body: Array("{\"action\": ".utf8))
        }
        guard case .malformedJSON = notJSON else { throw CancellationError() }
        #expect(notJSON.field == nil)
        #expect(throws: ForgeWebhookError.malformedJSON(detail: "found an array at the top level")) {
            try ForgeWebhookDecoder.decode(kind: .github, headers: github, body: Array("[]".utf8))
        }

        let opened = String(decoding: try body("github/opened.payload.json"), as: UTF8.self)
        let cases: [(String, String, ForgeWebhookError)] = [
            ("\"ref\": \"changes\"", "\"ref\": null", .missingField("pull_request.head.ref")),
            ("\"number\": 2,", "\"number\": \"2\",", .wrongType(field: "number", expected: "an integer", found: "a string")),
            ("\"full_name\": \"Codertocat/Hello-World\"", "\"full_name\": 7", .wrongType(field: "repository.full_name", expected: "a string", found: "a number")),
        ]
        for (from, to, expected) in cases {
            #expect(opened.contains(from))
            let edited = Array(opened.replacingOccurrences(of: from, with: to).utf8)
            let error = try #require(throws: ForgeWebhookError.self) { try ForgeWebhookDecoder.decode(kind: .github, headers: github, body: edited) }
            #expect(error == expected)
            #expect(error.description.contains(try #require(expected.field)))
        }
        #expect(throws: ForgeWebhookError.missingField("pullrequest")) {
            try ForgeWebhookDecoder.decode(kind: .bitbucket, headers: ["x-event-key": "pullrequest:fulfilled"], body: Array("{}".utf8))
        }
        #expect(throws: ForgeWebhookError.missingField("object_attributes.iid")) {
            try ForgeWebhookDecoder.decode(
                kind: .gitlab, headers: ["x-gitlab-event": "Merge Request Hook"], body: Array(#"{"object_attributes": {"action": "open"}}"#.utf8))
        }
        #expect(throws: ForgeWebhookError.missingHeader("X-GitHub-Event")) { try ForgeWebhookDecoder.decode(kind: .github, headers: [:], body: []) }
        #expect(ForgeWebhookError.missingField("pull_request.head.ref").description == "missing field pull_request.head.ref")
    }
}
