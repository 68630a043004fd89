import Git2

/// What a worker thread keeps between jobs.
final class WorkerState: @unchecked Sendable {
    /// The open mirror, reused across jobs; dropped when the mirror is rebuilt.
    var repository: Repository?
}
