public import Foundation

/// The claim of one `promote serve` on a SQLite file (DESIGN.md 8): an exclusive `flock` on `<file>.serve-lock`,
/// held until the process ends (the kernel drops it even after `kill -9`). CLI commands do not take it, so they
/// may share the file with the service.
public final class SQLiteServeLock: Sendable {
    private let descriptor: Int32
    /// The lock file.
    public let path: String

    /// Takes the lock for the database at `databasePath`, or throws a ``StoreError`` naming the process holding it.
    public init(databasePath: String) throws(StoreError) {
        path = databasePath + ".serve-lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw StoreError(operation: "lock \(path)", message: String(cString: strerror(errno)), isTemporarilyUnavailable: false)
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(fd)
            throw StoreError(
                operation: "start promote serve",
                message: "another promote serve\(holder.isEmpty ? "" : " (\(holder))") already uses \(databasePath); one SQLite file serves "
                    + "one replica: stop it, or run replicas on PostgreSQL (service.state: postgres://USER@HOST:PORT/DB)")
        }
        _ = ftruncate(fd, 0)
        let mark = "pid \(getpid())\n"
        _ = mark.withCString { write(fd, $0, strlen($0)) }
        descriptor = fd
    }

    deinit { close(descriptor) }
}
