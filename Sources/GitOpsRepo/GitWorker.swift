import Foundation
import Promotion
import Git2
import Synchronization

/// A dedicated thread that runs every libgit2 operation of one mirror, one synchronous closure at a time (libgit2's
/// error state is per thread and its handles are not shared). One worker per mirror path in the process, so
/// operations on one repository are serialised and different repositories run in parallel. Each job also holds an
/// exclusive `flock` on the mirror's lock file, so several processes sharing a cache do not collide, and removes the
/// lock files a killed process left behind (``StaleLocks``) before it runs.
final class GitWorker: @unchecked Sendable {
    private static let registry = Mutex<[String: GitWorker]>([:])

    /// The worker for the mirror at `path`.
    static func forMirror(at path: String) -> GitWorker {
        registry.withLock { registry in
            if let worker = registry[path] { return worker }
            let worker = GitWorker(path: path)
            registry[path] = worker
            return worker
        }
    }

    let path: String
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private var thread: Thread?
    /// State owned by the worker thread (only touched from jobs).
    let state = WorkerState()

    private init(path: String) {
        self.path = path
        let thread = Thread { [unowned self] in loop() }
        thread.name = "promote.git:\((path as NSString).lastPathComponent)"
        thread.stackSize = 8 << 20
        self.thread = thread
        thread.start()
    }

    /// True on the worker thread itself.
    var isCurrent: Bool { Thread.current.threadDictionary["promote.git.worker"] as? String == path }

    private func loop() {
        Thread.current.threadDictionary["promote.git.worker"] = path
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }

    private func enqueue(_ job: @escaping () -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Runs `body` on the worker thread and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable (WorkerState) throws -> T) async throws -> T {
        let holder = Holder(body)
        // The worker thread is not the caller's task: the promotion being worked on is carried over, so that the
        // mirror's log lines name it.
        let promotion = LogContext.promotionID
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            enqueue { [state, path] in
                let result = LogContext.$promotionID.withValue(promotion) {
                    Result {
                        try FileLock.holding(path + ".lock") {
                            StaleLocks.remove(in: path)
                            return try holder.value!(state)
                        }
                    }
                }
                // Release the body (and what it captured, e.g. a non-escaping plan) before the caller resumes.
                holder.value = nil
                continuation.resume(with: result)
            }
        }
    }

    /// Holds a closure for a job and lets the job drop it before signalling completion.
    private final class Holder<V>: @unchecked Sendable {
        var value: V?
        init(_ value: V) { self.value = value }
    }
}
