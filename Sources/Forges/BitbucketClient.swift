internal import JSON
public import Promotion
public import CurlHTTP
internal import Foundation

/// Bitbucket Cloud pull requests over the 2.0 REST API (`apiBase` `https://api.bitbucket.org/2.0`,
/// project `workspace/repo`). Pagination is in the body (`values`, `next`). Bitbucket has no PR labels:
/// ``addLabels(_:to:)`` does nothing.
public struct BitbucketClient: ForgeAdapter {
    public let transport: ForgeTransport
    public var kind: ForgeKind { .bitbucket }
    private let repoPath: String

    /// `pool` lets several clients share worker threads; by default the client starts its own two.
    public init(config: ForgeConfig, pool: CurlWorkerPool? = nil) {
        var headers = HTTPHeaders()
        if let user = config.username {
            headers.add("Authorization", "Basic " + Data("\(user):\(config.token)".utf8).base64EncodedString())
        } else {
            headers.add("Authorization", "Bearer \(config.token)")
        }
        transport = ForgeTransport(config: config, authHeaders: headers, pool: pool)
        repoPath = "/repositories/" + config.project.split(separator: "/", maxSplits: 1).map { ForgeTransport.escapeSegment(String($0)) }.joined(separator: "/")
    }

    public func requestBudget() -> RequestBudget { transport.budget() }

    private func listOpen(stop: @escaping ([JSONValue]) -> Bool = { _ in false }) async throws(ForgeFailure) -> [PullRequest] {
        let query: [(String, String)] = [("state", "OPEN"), ("pagelen", "\(pageSize)")]
        let items: (JSONValue) -> [JSONValue]? = { doc in doc["values"]?.array }
        let next: (JSONValue, ForgeResponse, Int, String) -> String? = { doc, _, _, _ in doc["next"]?.string }
        let values = try await transport.paginate(repoPath + "/pullrequests", query: query, items: items, nextURL: next, stop: stop)
        return try values.map { (value) throws(ForgeFailure) -> PullRequest in try Self.pullRequest(value) }
    }

    public func findOpenPullRequest(head: String, base: String) async throws -> PullRequest? {
        let found = try await listOpen(stop: { page in
            page.contains { $0["source"]?["branch"]?["name"]?.string == head && $0["destination"]?["branch"]?["name"]?.string == base }
        })
        return found.first { $0.head == head && $0.base == base && $0.state == .open }
    }

    public func listOpenPullRequests(headPrefix: String) async throws -> [PullRequest] {
        try await listOpen().filter { $0.head.hasPrefix(headPrefix) && $0.state == .open }
    }

    public func createPullRequest(_ request: NewPullRequest) async throws -> PullRequest {
        let body: JSONValue = [
            "type": "pullrequest", "title": .string(request.title), "description": .string(request.body),
            "source": ["branch": ["name": .string(request.head)]],
            "destination": ["branch": ["name": .string(request.base)]],
            "close_source_branch": false, "draft": .bool(request.draft),
        ]
        // Atlassian does not document the answer for a duplicate; 400 and 409 are both taken as "already exists".
        let alreadyExists = { (failure: ForgeFailure) in failure.status == 400 || failure.status == 409 }
        return try await creatingOnce(request, alreadyExists: alreadyExists) { () async throws(ForgeFailure) -> PullRequest in
            try Self.pullRequest(await transport.send("POST", repoPath + "/pullrequests", json: body).json())
        }
    }

    public func updatePullRequest(number: Int, title: String?, body: String?) async throws -> PullRequest {
        var fields: [String: JSONValue] = ["type": "pullrequest"]
        if let title { fields["title"] = .string(title) }
        if let body { fields["description"] = .string(body) }
        if fields.count == 1 { return try await pullRequest(number: number) }
        return try Self.pullRequest(await transport.send("PUT", "\(repoPath)/pullrequests/\(number)", json: .object(fields)).json())
    }

    public func pullRequest(number: Int) async throws -> PullRequest {
        try Self.pullRequest(await transport.send("GET", "\(repoPath)/pullrequests/\(number)").json())
    }

    public func addLabels(_ labels: [String], to number: Int) async throws {}

    /// Reviewers are Bitbucket account ids or `{uuid}`s; teams are not supported by Bitbucket Cloud.
    public func requestReviewers(_ reviewers: [String], on number: Int) async throws {
        guard !reviewers.isEmpty else { return }
        let current = try await transport.send("GET", "\(repoPath)/pullrequests/\(number)").json()
        var list = current["reviewers"]?.array ?? []
        for r in reviewers {
            let entry: JSONValue = r.hasPrefix("{") ? ["type": "user", "uuid": .string(r)] : ["type": "user", "account_id": .string(r)]
            if !list.contains(where: { $0["uuid"] == entry["uuid"] && $0["account_id"] == entry["account_id"] }) { list.append(entry) }
        }
        _ = try await transport.send("PUT", "\(repoPath)/pullrequests/\(number)",
                                     json: ["type": "pullrequest", "title": current["title"] ?? "", "reviewers": .array(list)])
    }

    public func comment(_ body: String, on number: Int) async throws {
        _ = try await transport.send("POST", "\(repoPath)/pullrequests/\(number)/comments",
                                     json: ["type": "pullrequest_comment", "content": ["raw": .string(body)]], idempotency: .once)
    }

    public func close(number: Int, comment text: String?) async throws {
        if let text { try await comment(text, on: number) }
        _ = try await transport.send("POST", "\(repoPath)/pullrequests/\(number)/decline")
    }

    public func deleteBranch(_ name: String) async throws {
        do {
            _ = try await transport.send("DELETE", "\(repoPath)/refs/branches/\(ForgeTransport.escapeSegment(name))")
        } catch {
            let failure = error
            guard failure.status == 404 else { throw failure }
            return
        }
    }

    public func merge(number: Int, method: MergeMethod) async throws -> PullRequest {
        let strategy = switch method {
        case .merge: "merge_commit"
        case .squash: "squash"
        case .rebase: "fast_forward"
        }
        return try Self.pullRequest(await transport.send("POST", "\(repoPath)/pullrequests/\(number)/merge",
                                                         json: ["type": "pullrequest_merge_parameters", "merge_strategy": .string(strategy)]).json())
    }

    /// Sets the build status keyed `status.context` (Bitbucket replaces a status with the same key). Bitbucket wants
    /// a `url`; without a target URL the commit's API address is sent.
    public func setCommitStatus(_ status: CommitStatus, on sha: String) async throws {
        let commit = "\(repoPath)/commit/\(ForgeTransport.escapeSegment(sha))"
        _ = try await transport.send("POST", "\(commit)/statuses/build",
                                     json: CommitStatusWire.body(status, for: kind, fallbackURL: transport.url(commit)))
    }

    /// Every build status on `sha` (one per key), all pages.
    public func commitChecks(on sha: String) async throws -> [CommitStatus] {
        let values = try await transport.paginate(
            "\(repoPath)/commit/\(ForgeTransport.escapeSegment(sha))/statuses", query: [("pagelen", "\(pageSize)")],
            items: { $0["values"]?.array }, nextURL: { doc, _, _, _ in doc["next"]?.string })
        let s = try CommitStatusWire.decode(values, as: CommitStatusWire.BitbucketStatus.self, what: "a Bitbucket build status")
        return CommitStatusWire.latestPerContext(s.enumerated().map { ($0.offset, $0.element.commitStatus) })
    }

    private var pageSize: Int { min(50, max(1, transport.config.pageSize)) }

    static func pullRequest(_ j: JSONValue) throws(ForgeFailure) -> PullRequest {
        try ForgeDecoding.decode(BitbucketPullRequestPayload.self, from: j, what: "a Bitbucket pull request").pullRequest
    }
}
