public import Promotion

/// A ``GitOpsRepository`` that times every operation into ``ServiceMetrics`` (`promote_git_operations_total`, `promote_git_operation_seconds`).
public struct MeasuredRepository: GitOpsRepository {
    let base: any GitOpsRepository
    let metrics: ServiceMetrics

    public init(_ base: any GitOpsRepository, metrics: ServiceMetrics) {
        self.base = base
        self.metrics = metrics
    }

    public func fetch() async throws { try await measured("fetch") { try await base.fetch() } }

    public func snapshot(of branch: String) async throws -> (any RepositorySnapshot)? {
        try await measured("snapshot") { try await base.snapshot(of: branch) }
    }

    public func update(
        branch: String, base baseBranch: String?, policy: PushPolicy, plan: @Sendable (any RepositorySnapshot) throws -> CommitRequest?
    ) async throws -> UpdateOutcome {
        let outcome = try await measured("update") { try await base.update(branch: branch, base: baseBranch, policy: policy, plan: plan) }
        if case .pushed(_, _, let attempts) = outcome { metrics.countGitPushRetries(attempts - 1) }
        return outcome
    }

    public func deleteBranch(_ branch: String, expectedTip: String?) async throws {
        try await measured("delete-branch") { try await base.deleteBranch(branch, expectedTip: expectedTip) }
    }

    public func history(of branch: String, touching path: String?, limit: Int) async throws -> [CommitInfo] {
        try await measured("history") { try await base.history(of: branch, touching: path, limit: limit) }
    }

    public func snapshot(commit id: String) async throws -> (any RepositorySnapshot)? {
        try await measured("snapshot") { try await base.snapshot(commit: id) }
    }

    private func measured<T>(_ operation: String, _ body: () async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        var result = "ok"
        defer { metrics.observeGit(operation, result: result, ContinuousClock.now - start) }
        do {
            return try await body()
        } catch {
            result = "error"
            throw error
        }
    }
}
