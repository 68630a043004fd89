public import Foundation
public import Promotion

/// An in-memory ``GitOpsRepository`` for engine tests: branches, commits with parents, files, and a hook to make
/// another writer move a branch just before a push (a race).
public final class MemoryRepository: GitOpsRepository, @unchecked Sendable {
    /// One stored commit.
    public struct Commit: Sendable {
        public var id: String
        public var parent: String?
        public var files: [String: Data]
        public var message: String
    }

    private let lock = NSLock()
    private var commits: [String: Commit] = [:]
    private var branches: [String: String] = [:]
    private var counter = 0
    /// How many pushes were attempted (accepted or rejected).
    public private(set) var pushes = 0
    public private(set) var fetches = 0
    /// How many of the next fetches fail (a git server that is down for a moment).
    public var failingFetches = 0
    /// Called before each push with the branch name; may call ``commitDirectly(branch:files:message:)`` to race.
    public var beforePush: (@Sendable (String) -> Void)?

    public init(branch: String = "main", files: [String: String]) {
        _ = commitDirectly(branch: branch, files: files, message: "initial")
    }

    /// Another writer's commit: sets (or with nil, deletes) files on top of the branch tip.
    @discardableResult
    public func commitDirectly(branch: String, files: [String: String?], message: String) -> String {
        lock.withLock {
            var tree = branches[branch].flatMap { commits[$0]?.files } ?? [:]
            for (path, text) in files { tree[path] = text.map { Data($0.utf8) } }
            return store(parent: branches[branch], files: tree, message: message, on: branch)
        }
    }

    private func store(parent: String?, files: [String: Data], message: String, on branch: String) -> String {
        counter += 1
        let id = String(format: "%040x", counter)
        commits[id] = Commit(id: id, parent: parent, files: files, message: message)
        branches[branch] = id
        return id
    }

    /// The text of `path` on `branch`.
    public func file(_ path: String, on branch: String) -> String? {
        lock.withLock { branches[branch].flatMap { commits[$0]?.files[path] }.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// The tip of `branch`.
    public func tip(_ branch: String) -> String? { lock.withLock { branches[branch] } }

    /// The commit `id`.
    public func commit(_ id: String) -> Commit? { lock.withLock { commits[id] } }

    /// Every branch name.
    public var branchNames: [String] { lock.withLock { branches.keys.sorted() } }

    public func fetch() async throws {
        let fails = lock.withLock {
            fetches += 1
            guard failingFetches > 0 else { return false }
            failingFetches -= 1
            return true
        }
        if fails { throw MemoryRepositoryError(message: "connection refused (the git server is down)") }
    }

    public func snapshot(of branch: String) async throws -> (any RepositorySnapshot)? {
        lock.withLock { branches[branch].map(snapshot(commit:)) ?? nil }
    }

    public func snapshot(commit id: String) async throws -> (any RepositorySnapshot)? {
        lock.withLock { snapshot(commit: id) }
    }

    /// The snapshot of commit `id` (the caller holds the lock).
    private func snapshot(commit id: String) -> MemorySnapshot? {
        guard let commit = commits[id] else { return nil }
        return MemorySnapshot(commit: id, files: commit.files) { [self] in
            lock.withLock { commit.parent.map(snapshot(commit:)) ?? nil }
        }
    }

    public func update(
        branch: String, base: String?, policy: PushPolicy, plan: @Sendable (any RepositorySnapshot) throws -> CommitRequest?
    ) async throws -> UpdateOutcome {
        for attempt in 1...5 {
            let (baseTip, branchTip) = lock.withLock { (branches[base ?? branch], branches[branch]) }
            guard let baseTip, let baseCommit = lock.withLock({ commits[baseTip] }) else {
                throw MemoryRepositoryError(message: "branch \(base ?? branch) does not exist")
            }
            guard let baseSnapshot = lock.withLock({ snapshot(commit: baseTip) }), let request = try plan(baseSnapshot) else {
                return .unchanged(tip: branchTip ?? baseTip)
            }
            beforePush?(branch)
            let accepted: String? = lock.withLock {
                pushes += 1
                let now = branches[branch]
                switch policy {
                case .fastForwardOnly where now != baseTip && (base == nil || base == branch): return nil
                case .forceWithLease where now != branchTip: return nil
                default: break
                }
                var files = baseCommit.files
                for (path, data) in request.changes { files[path] = data }
                return store(parent: baseTip, files: files, message: request.message, on: branch)
            }
            if let accepted { return .pushed(commit: accepted, previousTip: branchTip, attempts: attempt) }
        }
        throw MemoryRepositoryError(message: "push to \(branch) rejected 5 times")
    }

    public func deleteBranch(_ branch: String, expectedTip: String?) async throws {
        lock.withLock {
            if expectedTip == nil || branches[branch] == expectedTip { branches[branch] = nil }
        }
    }

    public func history(of branch: String, touching path: String?, limit: Int) async throws -> [CommitInfo] {
        lock.withLock {
            var out: [CommitInfo] = []
            var next = branches[branch]
            while let id = next, let c = commits[id], out.count < limit {
                let parentFiles = c.parent.flatMap { commits[$0]?.files } ?? [:]
                if path == nil || parentFiles[path!] != c.files[path!] {
                    out.append(CommitInfo(id: id, parents: c.parent.map { [$0] } ?? [], message: c.message, authorName: "t", authorEmail: "t@t", time: Date()))
                }
                next = c.parent
            }
            return out
        }
    }
}

/// A snapshot of a ``MemoryRepository`` commit.
public struct MemorySnapshot: RepositorySnapshot {
    public let commit: String
    let files: [String: Data]
    let parentSnapshot: @Sendable () -> MemorySnapshot?

    public func parent() throws -> (any RepositorySnapshot)? { parentSnapshot() }

    public func entry(at path: String) throws -> TreeEntry {
        if let data = files[path] { return .file(data) }
        return files.keys.contains { $0.hasPrefix(path + "/") } ? .directory : .missing
    }

    public func list(directory path: String) throws -> [String] {
        let prefix = path.isEmpty ? "" : path + "/"
        return Set(files.keys.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count).split(separator: "/")[0]) }).sorted()
    }
}

/// A rejected operation of a ``MemoryRepository``.
public struct MemoryRepositoryError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
