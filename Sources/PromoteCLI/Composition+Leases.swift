import Foundation
import Logging
import Promotion
import Service
import Synchronization

extension Composition {
    /// Runs a command's repository writes under the same per-repository leases as `promote serve`'s workers
    /// (DESIGN.md 8: CLI commands may share the state store; their repository writes take the same lock). While a
    /// replica holds one of them the command waits, saying so once, for at most `wait` seconds, then is refused
    /// naming the repository. A dry run writes nothing and takes nothing.
    func writingRepositories<T: Sendable>(
        dryRun: Bool = false, wait: Duration = .seconds(120), _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        guard !dryRun, let leaseStore = store as? any LeaseStore else { return try await body() }
        let holder = "\(Lease.commandHolderPrefix)\(ProcessInfo.processInfo.hostName.split(separator: ".").first ?? "localhost"):\(ProcessInfo.processInfo.processIdentifier)"
        let leases = ReplicaLeases(store: leaseStore, holder: holder, duration: config.service.leaseDuration, logger: Logger(label: "promote.leases"))
        let repositories = Array(Set(config.environments.map(\.repository.url))).sorted()
        let started = Mutex(false)
        let deadline = ContinuousClock.now + wait
        var said = false
        while true {
            let done = try await leases.withLeases(repositories) { () async throws -> T in
                started.withLock { $0 = true }
                return try await body()
            }
            if let done { return done }
            if started.withLock({ $0 }) {
                throw CLIFailure("the lease on the repository was lost while the command ran (the state store went away, or a replica took it over): run it again")
            }
            guard ContinuousClock.now < deadline else {
                throw CLIFailure(
                    "could not take the lease on \(repositories.map(redactUserInfo).joined(separator: ", ")) within \(wait): a promote serve "
                        + "replica holds it, or the state store cannot be reached (see the log); try again when its promotions have run")
            }
            if !said {
                CLIFailure.printError("waiting for promote serve to finish with the repository (its lease is held) …")
                said = true
            }
            try await Task.sleep(for: .milliseconds(250))
        }
    }
}
