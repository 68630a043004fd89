public import Promotion
internal import Forges

/// A ``ForgeClient`` that counts and times every call into ``ServiceMetrics`` (`promote_forge_calls_total`,
/// `promote_forge_request_seconds`), adds the client's retries and rate-limit answers, and publishes the request budget
/// the forge announced (`promote_forge_requests_remaining`).
public struct MeasuredForge: ForgeClient {
    let base: any ForgeClient
    let metrics: ServiceMetrics
    let name: String

    /// `name` labels the budget gauge (e.g. `github owner/repo`).
    public init(_ base: any ForgeClient, name: String, metrics: ServiceMetrics) {
        self.base = base
        self.name = name
        self.metrics = metrics
    }

    public func findOpenPullRequest(head: String, base branch: String) async throws -> PullRequest? {
        try await measured("find-open") { try await base.findOpenPullRequest(head: head, base: branch) }
    }

    public func listOpenPullRequests(headPrefix: String) async throws -> [PullRequest] {
        try await measured("list-open") { try await base.listOpenPullRequests(headPrefix: headPrefix) }
    }

    public func createPullRequest(_ request: NewPullRequest) async throws -> PullRequest {
        try await measured("create") { try await base.createPullRequest(request) }
    }

    public func updatePullRequest(number: Int, title: String?, body: String?) async throws -> PullRequest {
        try await measured("update") { try await base.updatePullRequest(number: number, title: title, body: body) }
    }

    public func pullRequest(number: Int) async throws -> PullRequest {
        try await measured("get") { try await base.pullRequest(number: number) }
    }

    public func addLabels(_ labels: [String], to number: Int) async throws {
        try await measured("labels") { try await base.addLabels(labels, to: number) }
    }

    public func requestReviewers(_ reviewers: [String], on number: Int) async throws {
        try await measured("reviewers") { try await base.requestReviewers(reviewers, on: number) }
    }

    public func comment(_ body: String, on number: Int) async throws {
        try await measured("comment") { try await base.comment(body, on: number) }
    }

    public func close(number: Int, comment: String?) async throws {
        try await measured("close") { try await base.close(number: number, comment: comment) }
    }

    public func deleteBranch(_ name: String) async throws {
        try await measured("delete-branch") { try await base.deleteBranch(name) }
    }

    public func merge(number: Int, method: MergeMethod) async throws -> PullRequest {
        try await measured("merge") { try await base.merge(number: number, method: method) }
    }

    public func setCommitStatus(_ status: CommitStatus, on sha: String) async throws {
        try await measured("set_status") { try await base.setCommitStatus(status, on: sha) }
    }

    public func commitChecks(on sha: String) async throws -> [CommitStatus] {
        try await measured("commit_checks") { try await base.commitChecks(on: sha) }
    }

    private func measured<T>(_ operation: String, _ body: () async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        var result = "ok"
        defer {
            metrics.observeForge(operation, result: result, ContinuousClock.now - start)
            if let budget = (base as? any ForgeAdapter)?.requestBudget() {
                if let remaining = budget.remaining { metrics.setForgeBudget(forge: name, remaining: remaining) }
                metrics.recordForgeBudget(forge: name, requests: budget.requests, retries: budget.retries, rateLimited: budget.rateLimited)
            }
        }
        do {
            return try await body()
        } catch {
            result = (error as? ForgeFailure)?.kind.rawValue ?? "error"
            throw error
        }
    }
}
