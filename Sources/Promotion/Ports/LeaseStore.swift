public import Foundation

/// A lease on a named resource (a repository's URL, or a scheduled task): who holds it, until when, and its fencing
/// number, which grows with every new holder, so that a write made under an older holding can be told apart.
public struct Lease: Sendable, Hashable {
    public var name: String
    public var holder: String
    public var fencing: Int
    public var expiresAt: Date

    public init(name: String, holder: String, fencing: Int, expiresAt: Date) {
        self.name = name
        self.holder = holder
        self.fencing = fencing
        self.expiresAt = expiresAt
    }

    /// The leases the current task works under: every write the store makes for it checks, in the same transaction,
    /// that each is still held (same holder, same fencing number, not expired), and fails with ``LeaseLost`` if not.
    @TaskLocal public static var held: [Lease] = []

    /// How the holder of a CLI command's lease is named (`cli:HOST:PID`), as opposed to a replica's.
    public static let commandHolderPrefix = "cli:"
}

/// Leases shared by the replicas of `promote serve` (DESIGN.md 8), kept by the state store.
public protocol LeaseStore: Sendable {
    /// Takes the lease `name` for `holder` for `duration` seconds when nobody holds it or its holder's expired
    /// (the fencing number grows); nil when another holder's lease is still running.
    func acquire(_ name: String, holder: String, duration: Double) async throws -> Lease?
    /// Extends a lease still held; nil when it was lost (expired, or taken over).
    func renew(_ lease: Lease, duration: Double) async throws -> Lease?
    /// Gives a lease up (it expires now), if still held.
    func release(_ lease: Lease) async throws
    /// Claims the queued promotions `ids` for `holder` (who holds their lane's leases), oldest first, and returns
    /// the ids it got: a row another transaction has locked is skipped, not waited for (`FOR UPDATE SKIP LOCKED` on
    /// PostgreSQL), as is one no longer queued. The claim names the replica that ran a promotion.
    func claim(_ ids: [String], for holder: String) async throws -> [String]
    /// At a replica's start: ends the leases no running replica can hold any more, so that work left by a
    /// previous process is taken over at once instead of after its leases expire. SQLite (one `promote serve` per
    /// file) ends every replica's lease; PostgreSQL ends those of `holder` (a replica restarted under the same
    /// `--replica`). A running CLI command's leases (``Lease/commandHolderPrefix``) are left to it.
    func endLeasesOfGoneReplicas(restarting holder: String) async throws
}

/// A write refused because a lease it was made under is no longer held: the writer must stop at once.
public struct LeaseLost: Error, Sendable, CustomStringConvertible {
    public var lease: String
    public init(lease: String) { self.lease = lease }
    public var description: String { "the lease on \(lease) is no longer held by this replica; it stopped writing" }
}
