internal import Foundation

/// A few dedicated threads, each owning one ``CurlSession``, so async code can run blocking libcurl
/// requests without tying up the cooperative thread pool. A session never leaves its thread, and stays
/// warm (open connections) between requests. The threads exit when the pool is released or shut down.
public final class CurlWorkerPool: Sendable {
    private let queue: JobQueue

    /// Starts `threads` worker threads using `options` for every request.
    public init(threads: Int = 2, options: CurlOptions = CurlOptions()) {
        let count = max(1, threads)
        let queue = JobQueue(workers: count)
        self.queue = queue
        for i in 0..<count {
            let t = Thread { queue.work(options: options) }
            t.name = "curl-worker-\(i)"
            t.start()
        }
    }

    deinit { queue.stop() }

    /// Lets the workers finish queued requests, and returns once they have released their sessions.
    public func shutdown() { queue.stop() }

    /// Performs `request` on a worker thread.
    public func perform(_ request: HTTPRequest) async throws(CurlError) -> HTTPResponse {
        let result: Result<HTTPResponse, CurlError> = await withCheckedContinuation { continuation in
            let accepted = queue.enqueue { session in
                guard let session else {
                    continuation.resume(returning: .failure(CurlError(kind: .other, code: 2, message: "curl_easy_init failed", request: "")))
                    return
                }
                do throws(CurlError) {
                    continuation.resume(returning: .success(try session.perform(request)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
            if !accepted {
                continuation.resume(returning: .failure(CurlError(
                    kind: .other, code: 2, message: "the curl worker pool is shut down",
                    request: CurlError.describe(method: request.method, url: request.url))))
            }
        }
        return try result.get()
    }
}

/// The pool's job queue; the worker threads hold it, not the pool.
private final class JobQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [@Sendable (CurlSession?) -> Void] = []
    private var stopped = false
    /// Worker threads that have not yet released their session.
    private var running: Int

    init(workers: Int) { running = workers }

    /// Stops taking jobs and waits until every worker has finished the queued ones and cleaned up its session
    /// (`curl_easy_cleanup`, which frees TLS state), so that no worker is still tearing down when the caller goes on
    /// (a process that exits meanwhile would run the libraries' exit handlers under it).
    func stop() {
        let onWorker = Thread.current.threadDictionary[Self.workerKey] as? ObjectIdentifier == ObjectIdentifier(self)
        condition.lock()
        stopped = true
        condition.broadcast()
        // A worker that releases the pool from inside a job cannot wait for itself.
        while running > (onWorker ? 1 : 0) { condition.wait() }
        condition.unlock()
    }

    private static let workerKey = "promote.curl.worker"

    func enqueue(_ job: @escaping @Sendable (CurlSession?) -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if stopped { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    func work(options: CurlOptions) {
        Thread.current.threadDictionary[Self.workerKey] = ObjectIdentifier(self)
        serve(options: options)  // The session is released when it returns.
        condition.lock()
        running -= 1
        condition.broadcast()
        condition.unlock()
    }

    private func serve(options: CurlOptions) {
        let session = try? CurlSession(options: options)
        while true {
            condition.lock()
            while jobs.isEmpty && !stopped { condition.wait() }
            if jobs.isEmpty && stopped {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job(session)
        }
    }
}
