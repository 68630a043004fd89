/// Decodes forge webhook deliveries into ``ForgeWebhookEvent``s. Pure: no IO, no signature check (verify the
/// delivery first, with `WebhookSignatures.ForgeSignatureVerifier`).
///
/// The event type comes from each forge's header: `X-GitHub-Event`, `X-Gitlab-Event`, `X-Gitea-Event` or
/// `X-Forgejo-Event` (either is accepted for both Gitea and Forgejo), and Bitbucket Cloud's `X-Event-Key`.
/// Pull request events become ``ForgeWebhookEvent/pullRequest(_:)``; the connectivity checks become
/// ``ForgeWebhookEvent/ping``; every other event is ``ForgeWebhookEvent/ignored(reason:)`` without reading the body.
public enum ForgeWebhookDecoder {
    /// Decodes one delivery.
    /// - Parameters:
    ///   - kind: the forge that sent it.
    ///   - headers: the request headers, **names lowercased** (`x-github-event`, not `X-GitHub-Event`).
    ///   - body: the body bytes as received.
    /// - Returns: the event.
    /// - Throws: ``ForgeWebhookError`` naming the missing header, or the JSON field that is missing or mistyped.
    public static func decode(kind: ForgeKind, headers: [String: String], body: [UInt8]) throws(ForgeWebhookError) -> ForgeWebhookEvent {
        switch kind {
        case .github:
            let event = try header("X-GitHub-Event", in: headers)
            switch event {
            case "ping": return .ping
            case "pull_request": return .pullRequest(try githubStyle(try WebhookFields.parse(body), forge: "GitHub"))
            default: return .ignored(reason: "GitHub event \(event) is not a pull request event")
            }
        case .gitea, .forgejo:
            let names = kind == .gitea ? ["X-Gitea-Event", "X-Forgejo-Event"] : ["X-Forgejo-Event", "X-Gitea-Event"]
            let event = try header(names, in: headers)
            let forge = kind == .gitea ? "Gitea" : "Forgejo"
            guard event == "pull_request" else { return .ignored(reason: "\(forge) event \(event) is not a pull request event") }
            return .pullRequest(try githubStyle(try WebhookFields.parse(body), forge: forge))
        case .gitlab:
            let event = try header("X-Gitlab-Event", in: headers)
            guard event == "Merge Request Hook" else { return .ignored(reason: "GitLab event \(event) is not a merge request event") }
            return .pullRequest(try gitlab(try WebhookFields.parse(body)))
        case .bitbucket:
            let key = try header("X-Event-Key", in: headers)
            let action: PullRequestEvent.Action
            switch key {
            case "diagnostics:ping": return .ping
            case "pullrequest:created": action = .opened
            case "pullrequest:updated": action = .synchronized
            case "pullrequest:fulfilled": action = .merged
            case "pullrequest:rejected": action = .closed
            default: return .ignored(reason: "Bitbucket event \(key) is not a pull request state change")
            }
            return .pullRequest(try bitbucket(try WebhookFields.parse(body), action: action))
        }
    }

    private static func header(_ name: String, in headers: [String: String]) throws(ForgeWebhookError) -> String {
        try header([name], in: headers)
    }

    /// The first of `names` present and non-empty; the error names the first.
    private static func header(_ names: [String], in headers: [String: String]) throws(ForgeWebhookError) -> String {
        for name in names {
            if let value = headers[name.lowercased()], !value.isEmpty { return value }
        }
        throw .missingHeader(names[0])
    }

    /// GitHub's `pull_request` payload, which Gitea and Forgejo copy (`number`, `action`, `pull_request`, `repository`).
    private static func githubStyle(_ root: WebhookFields, forge: String) throws(ForgeWebhookError) -> PullRequestEvent {
        let pr = try root.object("pull_request")
        let actionName = try root.string("action")
        let merged = try pr.optionalBool("merged") == true || pr.has("merged_at")
        let action: PullRequestEvent.Action =
            switch actionName {
            case "opened": .opened
            case "closed": merged ? .merged : .closed
            case "reopened": .reopened
            case "synchronize", "synchronized": .synchronized
            default: .other(actionName)
            }
        return PullRequestEvent(
            number: try root.int("number"), action: action,
            mergeCommitSHA: action == .merged ? try pr.optionalString("merge_commit_sha") : nil,
            headBranch: try pr.object("head").string("ref"), baseBranch: try pr.object("base").string("ref"),
            repository: try root.object("repository").string("full_name"), url: try pr.string("html_url"),
            title: try pr.string("title"), body: try pr.optionalString("body"),
            actor: try root.optionalObject("sender")?.optionalString("login"))
    }

    /// GitLab's `Merge Request Hook`: everything under `object_attributes`, the project under `project`.
    private static func gitlab(_ root: WebhookFields) throws(ForgeWebhookError) -> PullRequestEvent {
        let mr = try root.object("object_attributes")
        let actionName = try mr.string("action")
        let action: PullRequestEvent.Action =
            switch actionName {
            case "open": .opened
            case "close": .closed
            case "merge": .merged
            case "reopen": .reopened
            case "update" where mr.has("oldrev"): .synchronized  // `oldrev` only when commits were pushed
            default: .other(actionName)
            }
        return PullRequestEvent(
            number: try mr.int("iid"), action: action,
            mergeCommitSHA: action == .merged ? try mr.optionalString("merge_commit_sha") : nil,
            headBranch: try mr.string("source_branch"), baseBranch: try mr.string("target_branch"),
            repository: try root.object("project").string("path_with_namespace"), url: try mr.string("url"),
            title: try mr.string("title"), body: try mr.optionalString("description"),
            actor: try root.optionalObject("user")?.optionalString("username"))
    }

    /// Bitbucket Cloud's `pullrequest:*` payload: the action comes from `X-Event-Key`, not the body.
    private static func bitbucket(_ root: WebhookFields, action: PullRequestEvent.Action) throws(ForgeWebhookError) -> PullRequestEvent {
        let pr = try root.object("pullrequest")
        return PullRequestEvent(
            number: try pr.int("id"), action: action,
            mergeCommitSHA: action == .merged ? try pr.optionalObject("merge_commit")?.optionalString("hash") : nil,
            headBranch: try pr.object("source").object("branch").string("name"),
            baseBranch: try pr.object("destination").object("branch").string("name"),
            repository: try root.object("repository").string("full_name"),
            url: try pr.object("links").object("html").string("href"),
            title: try pr.string("title"), body: try pr.optionalString("description"),
            actor: try bitbucketActor(root))
    }

    /// Bitbucket's `actor`: the nickname, else the display name.
    private static func bitbucketActor(_ root: WebhookFields) throws(ForgeWebhookError) -> String? {
        guard let actor = try root.optionalObject("actor") else { return nil }
        if let nickname = try actor.optionalString("nickname") { return nickname }
        return try actor.optionalString("display_name")
    }
}
