internal import Foundation
public import Logging
public import Promotion
internal import Synchronization

/// The leases a replica of `promote serve` works under (DESIGN.md 8): one per repository it writes to, and one for
/// the scheduled tasks. Work runs only while every lease it needs is held; they are renewed every third of
/// `duration`, and the moment one cannot be renewed (taken over, or the database is unreachable) the work is
/// cancelled, and every write it still tries is refused by the store, which checks ``Lease/held`` in the same
/// transaction.
public struct ReplicaLeases: Sendable {
    let store: any LeaseStore
    /// This replica's name (`--replica`), the leases' holder.
    public let holder: String
    /// Seconds a lease lasts unless renewed.
    let duration: Double
    let logger: Logger

    public init(store: any LeaseStore, holder: String, duration: Double, logger: Logger) {
        self.store = store
        self.holder = holder
        self.duration = duration
        self.logger = logger
    }

    /// The lease of the scheduled tasks (reconciliation): one replica runs them at a time.
    public static let schedule = "promote:schedule"

    /// Runs `body` holding the leases `names` (taken in sorted order, so two replicas never wait on each other in a
    /// cycle) and returns what it returned. Returns nil without running it when another replica holds one of them or
    /// the store cannot be reached, and nil when a lease is lost while it runs (`body` is cancelled then).
    @discardableResult
    public func withLeases<T: Sendable>(_ names: [String], _ body: @escaping @Sendable () async -> T) async -> T? {
        var held: [Lease] = []
        for name in Set(names).sorted() {
            let lease: Lease?
            do { lease = try await store.acquire(name, holder: holder, duration: duration) } catch {
                logger.warning("cannot take a lease: the state store is unreachable", metadata: ["lease": "\(name)", "error": "\(error)"])
                lease = nil
            }
            guard let lease else {
                await release(held)
                return nil
            }
            held.append(lease)
        }
        let leases = held
        let outcome = await withTaskGroup(of: T?.self) { group in
            group.addTask { await Lease.$held.withValue(leases) { await body() } }
            group.addTask {
                _ = await self.keepRenewing(leases)
                return nil
            }
            // Whichever ends first (the work, or the renewals because a lease was lost) ends the other.
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        await release(leases)
        return outcome
    }

    /// ``withLeases(_:_:)`` for work that throws: its error is thrown here; nil when the leases were not taken or one
    /// was lost.
    public func withLeases<T: Sendable>(_ names: [String], throwing body: @escaping @Sendable () async throws -> T) async throws -> T? {
        let outcome = await withLeases(names) { () async -> Result<T, any Error> in
            do { return .success(try await body()) } catch { return .failure(error) }
        }
        return try outcome?.get()
    }

    /// Claims the queued promotions `ids` for this replica (see ``LeaseStore/claim(_:for:)``).
    func claim(_ ids: [String]) async throws -> Set<String> {
        Set(try await store.claim(ids, for: holder))
    }

    /// At start: ends the leases a previous run of this replica (or, on SQLite, any previous process) left.
    func startUp() async throws {
        try await store.endLeasesOfGoneReplicas(restarting: holder)
    }

    /// Renews `leases` every third of their duration until cancelled; returns false as soon as one is lost.
    private func keepRenewing(_ leases: [Lease]) async -> Bool {
        var current = leases
        while !Task.isCancelled {
            do { try await Task.sleep(for: .milliseconds(Int(duration * 1000 / 3))) } catch { return true }
            for (i, lease) in current.enumerated() {
                let renewed: Lease?
                do { renewed = try await store.renew(lease, duration: duration) } catch {
                    logger.error(
                        "cannot renew a lease (the state store is unreachable): stopping the work under it",
                        metadata: ["lease": "\(lease.name)", "error": "\(error)"])
                    return false
                }
                guard let renewed else {
                    logger.error("lease lost (it expired, or another replica took it over): stopping the work under it", metadata: ["lease": "\(lease.name)"])
                    return false
                }
                current[i] = renewed
            }
        }
        return true
    }

    private func release(_ leases: [Lease]) async {
        for lease in leases {
            do { try await Lease.$held.withValue([]) { try await store.release(lease) } } catch {
                logger.info("could not give a lease up; it expires by itself", metadata: ["lease": "\(lease.name)"])
            }
        }
    }
}
