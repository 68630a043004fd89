public import Foundation

/// What the engine asks of one GitOps repository. Implemented by the `GitOpsRepo` adapter (libgit2, a bare mirror,
/// no work tree). All reads see the mirror as of the last fetch.
public protocol GitOpsRepository: Sendable {
    /// Fetches the remote into the mirror (cloning it the first time).
    func fetch() async throws
    /// The tip of `branch` as of the last fetch, or nil when the branch does not exist.
    func snapshot(of branch: String) async throws -> (any RepositorySnapshot)?
    /// Commits on top of `base` (a branch tip as of the last fetch, or nothing for an unborn branch) and pushes to
    /// `branch`. `plan` sees the snapshot the commit builds on and returns the commit to write, or nil when the
    /// branch already holds what is wanted. A push rejected as stale fetches, calls `plan` again on the new tip and
    /// retries, bounded. `base` defaults to `branch` itself.
    func update(
        branch: String, base: String?, policy: PushPolicy,
        plan: @Sendable (any RepositorySnapshot) throws -> CommitRequest?
    ) async throws -> UpdateOutcome
    /// Deletes a branch the bot owns, if its tip is still `expectedTip` (nil: whatever it is).
    func deleteBranch(_ branch: String, expectedTip: String?) async throws
    /// The commits reachable from `branch`, newest first, optionally only those touching `path`.
    func history(of branch: String, touching path: String?, limit: Int) async throws -> [CommitInfo]
    /// The tree of commit `id` (hex) as of the last fetch, or nil when the mirror does not hold it: what
    /// `ledger rebuild` reads to check a commit's trailers against the change it carries.
    func snapshot(commit id: String) async throws -> (any RepositorySnapshot)?
}

/// A read-only view of one commit's tree.
public protocol RepositorySnapshot: Sendable {
    /// The commit id (hex).
    var commit: String { get }
    /// What is at `path` in the tree.
    func entry(at path: String) throws -> TreeEntry
    /// The names directly under the directory `path` ("" is the root), sorted.
    func list(directory path: String) throws -> [String]
    /// The commit's first parent (what a branch was built on), or nil for a root commit.
    func parent() throws -> (any RepositorySnapshot)?
}

/// What a path holds in a tree.
public enum TreeEntry: Sendable, Hashable {
    case missing
    case file(Data)
    case directory
    case symlink(target: String)
    case submodule
}

/// How a push may move the remote branch.
public enum PushPolicy: Sendable, Hashable {
    /// Only fast-forward: for branches the bot does not own.
    case fastForwardOnly
    /// Force, but only if the remote branch is still at the tip the bot last saw (nil: absent): the bot's own branches.
    case forceWithLease
}

/// A commit to write: file contents (nil deletes) and the message with its trailers.
public struct CommitRequest: Sendable, Hashable {
    public var message: String
    public var changes: [String: Data?]
    public var author: Signature

    public init(message: String, changes: [String: Data?], author: Signature) {
        self.message = message
        self.changes = changes
        self.author = author
    }
}

/// An author or committer.
public struct Signature: Sendable, Hashable, Codable {
    public var name: String
    public var email: String

    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }
}

/// What an update did.
public enum UpdateOutcome: Sendable, Hashable {
    /// The branch already held the change; nothing was pushed.
    case unchanged(tip: String)
    /// A new commit was pushed; `attempts` counts pushes (1 without a race).
    case pushed(commit: String, previousTip: String?, attempts: Int)
}

/// One commit of history.
public struct CommitInfo: Sendable, Hashable, Codable {
    public var id: String
    public var parents: [String]
    public var message: String
    public var authorName: String
    public var authorEmail: String
    public var time: Date

    public init(id: String, parents: [String], message: String, authorName: String, authorEmail: String, time: Date) {
        self.id = id
        self.parents = parents
        self.message = message
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.time = time
    }
}
