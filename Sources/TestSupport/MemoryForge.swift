internal import Foundation
public import Promotion

/// An in-memory ``ForgeClient`` for engine tests: pull requests, labels, reviewers and comments, a log of calls,
/// and failures injected per operation.
public final class MemoryForge: ForgeClient, @unchecked Sendable {
    private let lock = NSLock()
    private var pulls: [PullRequest] = []
    /// Every call, as `operation #number`.
    public private(set) var calls: [String] = []
    public private(set) var reviewersRequested: [Int: [String]] = [:]
    public private(set) var comments: [Int: [String]] = [:]
    public private(set) var deletedBranches: [String] = []
    /// Commit statuses by commit, in the order set (the latest per context counts).
    public private(set) var statuses: [String: [CommitStatus]] = [:]
    /// Errors to throw, consumed in order, for the named operation (`create`, `update`, `find` ...).
    public var failures: [String: [any Error]] = [:]

    public init() {}

    /// Every pull request, open or not.
    public var pullRequests: [PullRequest] { lock.withLock { pulls } }

    private func call(_ name: String) throws {
        try lock.withLock {
            calls.append(name)
            if var queue = failures[name], !queue.isEmpty {
                let error = queue.removeFirst()
                failures[name] = queue
                throw error
            }
        }
    }

    private func modify(_ number: Int, _ change: (inout PullRequest) -> Void) throws -> PullRequest {
        try lock.withLock {
            guard let i = pulls.firstIndex(where: { $0.number == number }) else {
                throw ForgeFailure(kind: .notFound, request: "PR #\(number)", status: 404, message: "Not Found")
            }
            change(&pulls[i])
            return pulls[i]
        }
    }

    /// Merges as a reviewer would (the engine's ledger learns of it later).
    public func mergeByHand(_ number: Int) throws {
        _ = try modify(number) { $0.state = .merged; $0.mergeCommitSHA = String(repeating: "m", count: 40) }
    }

    public func findOpenPullRequest(head: String, base: String) async throws -> PullRequest? {
        try call("find")
        return lock.withLock { pulls.first { $0.head == head && $0.base == base && $0.state == .open } }
    }

    public func listOpenPullRequests(headPrefix: String) async throws -> [PullRequest] {
        try call("list")
        return lock.withLock { pulls.filter { $0.head.hasPrefix(headPrefix) && $0.state == .open } }
    }

    public func createPullRequest(_ request: NewPullRequest) async throws -> PullRequest {
        try call("create")
        return lock.withLock {
            if let existing = pulls.first(where: { $0.head == request.head && $0.base == request.base && $0.state == .open }) {
                return existing
            }
            let pr = PullRequest(
                number: pulls.count + 1, url: "https://forge.test/pr/\(pulls.count + 1)", title: request.title, body: request.body,
                head: request.head, base: request.base, state: .open, draft: request.draft)
            pulls.append(pr)
            return pr
        }
    }

    public func updatePullRequest(number: Int, title: String?, body: String?) async throws -> PullRequest {
        try call("update")
        return try modify(number) { pr in
            if let title { pr.title = title }
            if let body { pr.body = body }
        }
    }

    public func pullRequest(number: Int) async throws -> PullRequest {
        try call("get")
        return try modify(number) { _ in }
    }

    public func addLabels(_ labels: [String], to number: Int) async throws {
        try call("labels")
        _ = try modify(number) { $0.labels += labels }
    }

    public func requestReviewers(_ reviewers: [String], on number: Int) async throws {
        try call("reviewers")
        lock.withLock { reviewersRequested[number, default: []] += reviewers }
    }

    public func comment(_ body: String, on number: Int) async throws {
        try call("comment")
        lock.withLock { comments[number, default: []].append(body) }
    }

    public func close(number: Int, comment: String?) async throws {
        try call("close")
        if let comment { lock.withLock { comments[number, default: []].append(comment) } }
        _ = try modify(number) { $0.state = .closed }
    }

    public func deleteBranch(_ name: String) async throws {
        try call("delete-branch")
        lock.withLock { deletedBranches.append(name) }
    }

    public func merge(number: Int, method: MergeMethod) async throws -> PullRequest {
        try call("merge")
        return try modify(number) { $0.state = .merged; $0.mergeCommitSHA = String(repeating: "m", count: 40) }
    }

    public func setCommitStatus(_ status: CommitStatus, on sha: String) async throws {
        try call("status")
        lock.withLock { statuses[sha, default: []].append(status) }
    }

    /// Sets a status as another CI system would (tests).
    public func setStatusByHand(_ status: CommitStatus, on sha: String) {
        lock.withLock { statuses[sha, default: []].append(status) }
    }

    public func commitChecks(on sha: String) async throws -> [CommitStatus] {
        try call("checks")
        return lock.withLock {
            var latest: [String: CommitStatus] = [:]
            var order: [String] = []
            for status in statuses[sha] ?? [] {
                if latest[status.context] == nil { order.append(status.context) }
                latest[status.context] = status
            }
            return order.compactMap { latest[$0] }
        }
    }
}
