internal import JSON
public import Promotion
public import CurlHTTP

/// Gitea and Forgejo pull requests over the v1 REST API (`apiBase` ends in `/api/v1`).
public struct GiteaClient: ForgeAdapter {
    public let transport: ForgeTransport
    public let kind: ForgeKind
    private let repoPath: String

    /// `pool` lets several clients share worker threads; by default the client starts its own two.
    public init(config: ForgeConfig, pool: CurlWorkerPool? = nil) {
        var headers = HTTPHeaders()
        headers.add("Authorization", "token \(config.token)")
        transport = ForgeTransport(config: config, authHeaders: headers, pool: pool)
        kind = config.kind
        repoPath = "/repos/" + config.project.split(separator: "/", maxSplits: 1).map { ForgeTransport.escapeSegment(String($0)) }.joined(separator: "/")
    }

    public func requestBudget() -> RequestBudget { transport.budget() }

    public func findOpenPullRequest(head: String, base: String) async throws -> PullRequest? {
        let found = try await transport.paginate(repoPath + "/pulls", query: [("state", "open"), ("base_branch", base), ("limit", "\(pageSize)")],
                                                 nextURL: nextPage, stop: { page in
            page.contains { $0["head"]?["ref"]?.string == head && $0["base"]?["ref"]?.string == base }
        })
        return try found.map { try Self.pullRequest($0) }.first { $0.head == head && $0.base == base && $0.state == .open }
    }

    public func listOpenPullRequests(headPrefix: String) async throws -> [PullRequest] {
        let all = try await transport.paginate(repoPath + "/pulls", query: [("state", "open"), ("limit", "\(pageSize)")], nextURL: nextPage)
        return try all.map { try Self.pullRequest($0) }.filter { $0.head.hasPrefix(headPrefix) && $0.state == .open }
    }

    public func createPullRequest(_ request: NewPullRequest) async throws -> PullRequest {
        let title = request.draft && !request.title.hasPrefix("WIP:") ? "WIP: \(request.title)" : request.title
        let body: JSONValue = ["head": .string(request.head), "base": .string(request.base), "title": .string(title),
                               "body": .string(request.body)]
        return try await creatingOnce(request, alreadyExists: { $0.status == 409 }) { () async throws(ForgeFailure) -> PullRequest in
            try Self.pullRequest(await transport.send("POST", repoPath + "/pulls", json: body).json())
        }
    }

    public func updatePullRequest(number: Int, title: String?, body: String?) async throws -> PullRequest {
        var fields: [String: JSONValue] = [:]
        if let title { fields["title"] = .string(title) }
        if let body { fields["body"] = .string(body) }
        if fields.isEmpty { return try await pullRequest(number: number) }
        return try Self.pullRequest(await transport.send("PATCH", "\(repoPath)/pulls/\(number)", json: .object(fields)).json())
    }

    public func pullRequest(number: Int) async throws -> PullRequest {
        try Self.pullRequest(await transport.send("GET", "\(repoPath)/pulls/\(number)").json())
    }

    /// Gitea takes label ids: the repository's labels are listed and the names looked up. A missing label is an error.
    public func addLabels(_ labels: [String], to number: Int) async throws {
        guard !labels.isEmpty else { return }
        let known = try await transport.paginate(repoPath + "/labels", query: [("limit", "\(pageSize)")], nextURL: nextPage)
        var ids: [JSONValue] = []
        for name in labels {
            guard let id = known.first(where: { $0["name"]?.string == name })?["id"]?.int else {
                throw ForgeFailure(kind: .notFound, request: "GET \(repoPath)/labels", status: 200,
                                   message: "label '\(name)' does not exist in \(transport.config.project); create it on the forge")
            }
            ids.append(.number(Double(id)))
        }
        _ = try await transport.send("POST", "\(repoPath)/issues/\(number)/labels", json: ["labels": .array(ids)])
    }

    public func requestReviewers(_ reviewers: [String], on number: Int) async throws {
        var users: [JSONValue] = []
        var teams: [JSONValue] = []
        for r in reviewers {
            if r.hasPrefix("team:") { teams.append(.string(String(r.dropFirst(5)))) }
            else if let slash = r.firstIndex(of: "/") { teams.append(.string(String(r[r.index(after: slash)...]))) }
            else { users.append(.string(r)) }
        }
        guard !users.isEmpty || !teams.isEmpty else { return }
        _ = try await transport.send("POST", "\(repoPath)/pulls/\(number)/requested_reviewers",
                                     json: ["reviewers": .array(users), "team_reviewers": .array(teams)])
    }

    public func comment(_ body: String, on number: Int) async throws {
        _ = try await transport.send("POST", "\(repoPath)/issues/\(number)/comments", json: ["body": .string(body)], idempotency: .once)
    }

    public func close(number: Int, comment text: String?) async throws {
        if let text { try await comment(text, on: number) }
        _ = try await transport.send("PATCH", "\(repoPath)/pulls/\(number)", json: ["state": "closed"])
    }

    public func deleteBranch(_ name: String) async throws {
        do {
            _ = try await transport.send("DELETE", "\(repoPath)/branches/\(ForgeTransport.escapeSegment(name))")
        } catch {
            let failure = error
            guard failure.status == 404 else { throw failure }
            return
        }
    }

    public func merge(number: Int, method: MergeMethod) async throws -> PullRequest {
        _ = try await transport.send("POST", "\(repoPath)/pulls/\(number)/merge", json: ["do": .string(method.rawValue), "Do": .string(method.rawValue)])  // Gitea documents `do`, Forgejo `Do`; both decode case-insensitively
        return try await pullRequest(number: number)
    }

    public func setCommitStatus(_ status: CommitStatus, on sha: String) async throws {
        _ = try await transport.send("POST", "\(repoPath)/statuses/\(ForgeTransport.escapeSegment(sha))",
                                     json: CommitStatusWire.body(status, for: kind))
    }

    /// The combined status: the latest status per context, all pages.
    public func commitChecks(on sha: String) async throws -> [CommitStatus] {
        let all = try await transport.paginate("\(repoPath)/commits/\(ForgeTransport.escapeSegment(sha))/status",
                                               query: [("limit", "\(pageSize)")], items: { $0["statuses"]?.array }, nextURL: nextPage)
        let s = try CommitStatusWire.decode(all, as: CommitStatusWire.Status.self, what: "a Gitea commit status")
        return CommitStatusWire.latestPerContext(s.map { ($0.id, $0.commitStatus) })
    }

    /// Gitea caps pages at 50 items by default (`MAX_RESPONSE_ITEMS`).
    private var pageSize: Int { min(50, max(1, transport.config.pageSize)) }

    /// `Link: rel="next"`; else the next page number while `X-Total-Count` says more remain or, without it,
    /// while pages come back non-empty and full (a server may cap `limit` below what was asked).
    private func nextPage(_ doc: JSONValue, _ r: ForgeResponse, _ count: Int, _ current: String) -> String? {
        if let link = r.nextLink { return link }
        let page = current.split(separator: "?").last?.split(separator: "&")
            .first { $0.hasPrefix("page=") }.flatMap { Int($0.dropFirst(5)) } ?? 1
        if let total = r.headers["X-Total-Count"].flatMap(Int.init) {
            guard count > 0, page * count < total else { return nil }
        } else {
            guard count > 0, count >= min(pageSize, 30) else { return nil }
        }
        return ForgeTransport.setting("page", to: "\(page + 1)", in: current)
    }

    static func pullRequest(_ j: JSONValue) throws(ForgeFailure) -> PullRequest {
        try ForgeDecoding.decode(GitHubPullRequestPayload.self, from: j, what: "a Gitea pull request")
            .pullRequest(mergedAtCounts: false, wipTitleIsDraft: true)
    }
}
