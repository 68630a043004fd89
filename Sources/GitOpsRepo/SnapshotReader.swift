import Git2
import Synchronization

/// A read-only handle on a mirror's object database for snapshot reads made off the mirror's worker thread, opened
/// on first use and shared by a snapshot and its parents. Objects are immutable and found by id, so these reads
/// need neither the worker's queue nor its file lock; the handle is used by one thread at a time.
final class SnapshotReader: Sendable {
    private let path: String
    private let handle = Mutex<Handle?>(nil)

    /// The open repository; only touched inside the mutex, so by one thread at a time.
    private final class Handle: @unchecked Sendable {
        let repository: Repository
        init(_ repository: Repository) { self.repository = repository }
    }

    init(path: String) {
        self.path = path
    }

    /// Runs `body` with the handle, opening it the first time.
    func reading<T>(_ body: (Repository) throws -> T) throws -> T {
        try handle.withLock { handle in
            let open: Handle
            if let existing = handle {
                open = existing
            } else {
                open = Handle(try GitMirror.translate { try Repository.openBare(at: path) })
                handle = open
            }
            return try body(open.repository)
        }
    }
}
