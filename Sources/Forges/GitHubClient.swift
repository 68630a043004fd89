internal import JSON
public import Promotion
public import CurlHTTP

/// GitHub and GitHub Enterprise (set `apiBase` to `https://ghe.example/api/v3`) pull requests over the REST API.
public struct GitHubClient: ForgeAdapter {
    public let transport: ForgeTransport
    public var kind: ForgeKind { .github }
    private let repoPath: String
    private let owner: String

    /// `pool` lets several clients share worker threads; by default the client starts its own two.
    public init(config: ForgeConfig, pool: CurlWorkerPool? = nil) {
        var headers = HTTPHeaders()
        headers.add("Authorization", "Bearer \(config.token)")
        headers.add("Accept", "application/vnd.github+json")
        headers.add("X-GitHub-Api-Version", "2022-11-28")
        transport = ForgeTransport(config: config, authHeaders: headers, pool: pool)
        let parts = config.project.split(separator: "/", maxSplits: 1).map(String.init)
        owner = parts.first ?? config.project
        repoPath = "/repos/" + parts.map(ForgeTransport.escapeSegment).joined(separator: "/")
    }

    public func requestBudget() -> RequestBudget { transport.budget() }

    public func findOpenPullRequest(head: String, base: String) async throws -> PullRequest? {
        let query = [("state", "open"), ("head", "\(owner):\(head)"), ("base", base), ("per_page", "\(pageSize)")]
        let found = try await transport.paginate(repoPath + "/pulls", query: query, stop: { page in
            page.contains { $0["head"]?["ref"]?.string == head && $0["base"]?["ref"]?.string == base }
        })
        return try found.map { try Self.pullRequest($0) }.first { $0.head == head && $0.base == base && $0.state == .open }
    }

    public func listOpenPullRequests(headPrefix: String) async throws -> [PullRequest] {
        let all = try await transport.paginate(repoPath + "/pulls", query: [("state", "open"), ("per_page", "\(pageSize)")])
        return try all.map { try Self.pullRequest($0) }.filter { $0.head.hasPrefix(headPrefix) && $0.state == .open }
    }

    public func createPullRequest(_ request: NewPullRequest) async throws -> PullRequest {
        let body: JSONValue = ["title": .string(request.title), "head": .string(request.head), "base": .string(request.base),
                               "body": .string(request.body), "draft": .bool(request.draft)]
        let alreadyExists = { (failure: ForgeFailure) in failure.status == 422 && failure.message.lowercased().contains("already exists") }
        return try await creatingOnce(request, alreadyExists: alreadyExists) { () async throws(ForgeFailure) -> PullRequest in
            try Self.pullRequest(await transport.send("POST", repoPath + "/pulls", json: body).json())
        }
    }

    public func updatePullRequest(number: Int, title: String?, body: String?) async throws -> PullRequest {
        var fields: [String: JSONValue] = [:]
        if let title { fields["title"] = .string(title) }
        if let body { fields["body"] = .string(body) }
        if fields.isEmpty { return try await pullRequest(number: number) }
        let r = try await transport.send("PATCH", "\(repoPath)/pulls/\(number)", json: .object(fields))
        return try Self.pullRequest(r.json())
    }

    /// A pull request closed without merge is read once more as an issue: only the issue says who closed it (`closed_by`).
    public func pullRequest(number: Int) async throws -> PullRequest {
        var pr = try Self.pullRequest(await transport.send("GET", "\(repoPath)/pulls/\(number)").json())
        if pr.state == .closed, pr.closedBy == nil {
            pr.closedBy = try await transport.send("GET", "\(repoPath)/issues/\(number)").json()["closed_by"]?["login"]?.string
        }
        return pr
    }

    public func addLabels(_ labels: [String], to number: Int) async throws {
        guard !labels.isEmpty else { return }
        _ = try await transport.send("POST", "\(repoPath)/issues/\(number)/labels",
                                     json: ["labels": .array(labels.map { .string($0) })])
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
            _ = try await transport.send("DELETE", "\(repoPath)/git/refs/\(ForgeTransport.escapeSegment("heads/" + name))")
        } catch {
            let failure = error
            guard failure.status == 404 || (failure.status == 422 && failure.message.lowercased().contains("does not exist")) else { throw failure }
            return  // already gone
        }
    }

    public func merge(number: Int, method: MergeMethod) async throws -> PullRequest {
        _ = try await transport.send("PUT", "\(repoPath)/pulls/\(number)/merge", json: ["merge_method": .string(method.rawValue)])
        return try await pullRequest(number: number)
    }

    public func setCommitStatus(_ status: CommitStatus, on sha: String) async throws {
        _ = try await transport.send("POST", "\(repoPath)/statuses/\(ForgeTransport.escapeSegment(sha))",
                                     json: CommitStatusWire.body(status, for: kind))
    }

    /// The combined status (the latest status per context) and the check runs (latest per name), all pages of each.
    public func commitChecks(on sha: String) async throws -> [CommitStatus] {
        let ref = ForgeTransport.escapeSegment(sha)
        let query = [("per_page", "\(pageSize)")]
        let statuses = try await transport.paginate("\(repoPath)/commits/\(ref)/status", query: query, items: { $0["statuses"]?.array })
        let runs = try await transport.paginate("\(repoPath)/commits/\(ref)/check-runs", query: query, items: { $0["check_runs"]?.array })
        let s = try CommitStatusWire.decode(statuses, as: CommitStatusWire.Status.self, what: "a GitHub commit status")
        let r = try CommitStatusWire.decode(runs, as: CommitStatusWire.CheckRun.self, what: "a GitHub check run")
        return CommitStatusWire.latestPerContext(s.map { ($0.id, $0.commitStatus) })
            + CommitStatusWire.latestPerContext(r.map { ($0.id, $0.commitStatus) })
    }

    private var pageSize: Int { min(100, max(1, transport.config.pageSize)) }

    static func pullRequest(_ j: JSONValue) throws(ForgeFailure) -> PullRequest {
        try ForgeDecoding.decode(GitHubPullRequestPayload.self, from: j, what: "a GitHub pull request").pullRequest()
    }
}
