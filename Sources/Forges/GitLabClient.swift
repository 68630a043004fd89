internal import JSON
public import Promotion
public import CurlHTTP

/// GitLab (gitlab.com or self-managed) merge requests over the v4 REST API. The project is its path
/// (`group/subgroup/project`, sent URL-encoded) or its numeric id.
public struct GitLabClient: ForgeAdapter {
    public let transport: ForgeTransport
    public var kind: ForgeKind { .gitlab }
    private let projectPath: String

    /// `pool` lets several clients share worker threads; by default the client starts its own two.
    public init(config: ForgeConfig, pool: CurlWorkerPool? = nil) {
        var headers = HTTPHeaders()
        headers.add("PRIVATE-TOKEN", config.token)
        transport = ForgeTransport(config: config, authHeaders: headers, pool: pool)
        projectPath = "/projects/" + ForgeTransport.escapeSegment(config.project)
    }

    public func requestBudget() -> RequestBudget { transport.budget() }

    public func findOpenPullRequest(head: String, base: String) async throws -> PullRequest? {
        let query = [("state", "opened"), ("source_branch", head), ("target_branch", base), ("per_page", "\(pageSize)")]
        let found = try await transport.paginate(projectPath + "/merge_requests", query: query, nextURL: nextPage, stop: { page in
            page.contains { $0["source_branch"]?.string == head && $0["target_branch"]?.string == base && $0["state"]?.string == "opened" }
        })
        return try found.map { try Self.pullRequest($0) }.first { $0.head == head && $0.base == base && $0.state == .open }
    }

    public func listOpenPullRequests(headPrefix: String) async throws -> [PullRequest] {
        let all = try await transport.paginate(projectPath + "/merge_requests", query: [("state", "opened"), ("per_page", "\(pageSize)")],
                                               nextURL: nextPage)
        return try all.map { try Self.pullRequest($0) }.filter { $0.head.hasPrefix(headPrefix) && $0.state == .open }
    }

    public func createPullRequest(_ request: NewPullRequest) async throws -> PullRequest {
        let title = request.draft && !request.title.hasPrefix("Draft:") ? "Draft: \(request.title)" : request.title
        let body: JSONValue = ["source_branch": .string(request.head), "target_branch": .string(request.base),
                               "title": .string(title), "description": .string(request.body)]
        return try await creatingOnce(request, alreadyExists: { $0.status == 409 }) { () async throws(ForgeFailure) -> PullRequest in
            try Self.pullRequest(await transport.send("POST", projectPath + "/merge_requests", json: body).json())
        }
    }

    public func updatePullRequest(number: Int, title: String?, body: String?) async throws -> PullRequest {
        var fields: [String: JSONValue] = [:]
        if let title { fields["title"] = .string(title) }
        if let body { fields["description"] = .string(body) }
        if fields.isEmpty { return try await pullRequest(number: number) }
        return try Self.pullRequest(await transport.send("PUT", "\(projectPath)/merge_requests/\(number)", json: .object(fields)).json())
    }

    public func pullRequest(number: Int) async throws -> PullRequest {
        try Self.pullRequest(await transport.send("GET", "\(projectPath)/merge_requests/\(number)").json())
    }

    public func addLabels(_ labels: [String], to number: Int) async throws {
        guard !labels.isEmpty else { return }
        _ = try await transport.send("PUT", "\(projectPath)/merge_requests/\(number)",
                                     json: ["add_labels": .string(labels.joined(separator: ","))])
    }

    public func requestReviewers(_ reviewers: [String], on number: Int) async throws {
        guard !reviewers.isEmpty else { return }
        if let group = reviewers.first(where: { $0.hasPrefix("team:") || $0.contains("/") }) {
            throw ForgeFailure(kind: .invalid, request: "PUT \(projectPath)/merge_requests/\(number)", status: nil,
                               message: "GitLab merge requests take user reviewers only, not the group '\(group)'")
        }
        var ids: [JSONValue] = []
        for name in reviewers { ids.append(.number(Double(try await userID(named: name)))) }
        _ = try await transport.send("PUT", "\(projectPath)/merge_requests/\(number)", json: ["reviewer_ids": .array(ids)])
    }

    /// The id of the GitLab user `name`. (Kept out of `requestReviewers`: Swift 6.3's optimiser crashed splitting that
    /// coroutine when the lookup and its `throw` sat inside the loop.)
    private func userID(named name: String) async throws -> Int {
        let users = try await transport.send("GET", "/users", query: [("username", name)]).json()
        guard let id = users.array?.first?["id"]?.int else {
            throw ForgeFailure(kind: .notFound, request: "GET /users?username=\(name)", status: 200, message: "no GitLab user named '\(name)'")
        }
        return id
    }

    public func comment(_ body: String, on number: Int) async throws {
        _ = try await transport.send("POST", "\(projectPath)/merge_requests/\(number)/notes", json: ["body": .string(body)], idempotency: .once)
    }

    public func close(number: Int, comment text: String?) async throws {
        if let text { try await comment(text, on: number) }
        _ = try await transport.send("PUT", "\(projectPath)/merge_requests/\(number)", json: ["state_event": "close"])
    }

    public func deleteBranch(_ name: String) async throws {
        do {
            _ = try await transport.send("DELETE", "\(projectPath)/repository/branches/\(ForgeTransport.escapeSegment(name))")
        } catch {
            let failure = error
            guard failure.status == 404 else { throw failure }
            return
        }
    }

    public func merge(number: Int, method: MergeMethod) async throws -> PullRequest {
        let body: JSONValue = method == .squash ? ["squash": true] : ["squash": false]
        return try Self.pullRequest(await transport.send("PUT", "\(projectPath)/merge_requests/\(number)/merge", json: body).json())
    }

    /// Sets an external commit status named `status.context`. GitLab refuses a transition to the state the status
    /// is already in ("Cannot transition status"): that is the state asked for, so it is not an error.
    public func setCommitStatus(_ status: CommitStatus, on sha: String) async throws {
        do {
            _ = try await transport.send("POST", "\(projectPath)/statuses/\(ForgeTransport.escapeSegment(sha))",
                                         json: CommitStatusWire.body(status, for: kind))
        } catch {
            let failure = error
            guard failure.status == 400, failure.message.contains("Cannot transition status") else { throw failure }
        }
    }

    /// Every commit status on `sha` (pipeline jobs and external statuses), the latest per name, all pages.
    public func commitChecks(on sha: String) async throws -> [CommitStatus] {
        let all = try await transport.paginate("\(projectPath)/repository/commits/\(ForgeTransport.escapeSegment(sha))/statuses",
                                               query: [("per_page", "\(pageSize)")], nextURL: nextPage)
        let s = try CommitStatusWire.decode(all, as: CommitStatusWire.GitLabStatus.self, what: "a GitLab commit status")
        return CommitStatusWire.latestPerContext(s.map { ($0.id, $0.commitStatus) })
    }

    private var pageSize: Int { min(100, max(1, transport.config.pageSize)) }

    /// `Link: rel="next"`, else `X-Next-Page`, else `X-Total-Pages`, else (no pagination headers at all) the next
    /// page while pages come back full (a proxy or an older server may drop some headers).
    private func nextPage(_ doc: JSONValue, _ r: ForgeResponse, _ count: Int, _ current: String) -> String? {
        if let link = r.nextLink { return link }
        if let next = r.headers["X-Next-Page"] {
            guard Int(next) != nil else { return nil }  // present and empty: this was the last page
            return ForgeTransport.setting("page", to: next, in: current)
        }
        let page = current.split(separator: "?").last?.split(separator: "&")
            .first { $0.hasPrefix("page=") }.flatMap { Int($0.dropFirst(5)) } ?? 1
        if let pages = r.headers["X-Total-Pages"].flatMap(Int.init) {
            return page < pages ? ForgeTransport.setting("page", to: "\(page + 1)", in: current) : nil
        }
        guard count > 0, count >= min(pageSize, 20) else { return nil }
        return ForgeTransport.setting("page", to: "\(page + 1)", in: current)
    }

    static func pullRequest(_ j: JSONValue) throws(ForgeFailure) -> PullRequest {
        try ForgeDecoding.decode(GitLabMergeRequestPayload.self, from: j, what: "a GitLab merge request").pullRequest
    }
}
