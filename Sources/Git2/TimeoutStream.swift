internal import Clibgit2
import Foundation

/// The socket stream registered with libgit2 (see `Clibgit2/pb_stream.h`) and the watchdog that bounds sockets
/// libgit2 does not read through the stream (libssh2 reads the descriptor itself).
enum TimeoutStream {
    /// Registers the stream for GIT_STREAM_STANDARD. Called once by `Git2.initialize()`.
    static func register() -> Int32 {
        pb_git_register_standard_stream { out, host, port in
            guard let out, let host, let port else { return -1 }
            let limits = NetworkTimeouts.current
            guard let stream = pb_socket_stream_new(host, port, limits.connectMilliseconds, limits.idleMilliseconds)
            else { return -1 }
            stream.pointee.on_close = { stream in
                guard let stream else { return }
                Watchdog.shared.remove(stream)
                if stream.pointee.timed_out != 0 { TimeoutStream.setTimeoutFlag() }
            }
            Watchdog.shared.add(stream)
            out.pointee = UnsafeMutableRawPointer(stream).assumingMemoryBound(to: git_stream.self)
            return 0
        }
    }

    private static let flagKey = "promote.git2.timedOut"

    static func setTimeoutFlag() {
        Thread.current.threadDictionary[flagKey] = true
    }

    /// Whether a timeout fired on this thread since the last call (and clears it).
    static func takeTimeoutFlag() -> Bool {
        let dict = Thread.current.threadDictionary
        let fired = dict[flagKey] as? Bool ?? false
        dict.removeObject(forKey: flagKey)
        return fired
    }

    /// Shuts down connected sockets that libgit2 never reads through the stream (ssh) once they have been quiet
    /// (no data and no acknowledgement received) for longer than their idle limit.
    final class Watchdog: @unchecked Sendable {
        static let shared = Watchdog()
        private let lock = NSCondition()
        private var streams: [UnsafeMutablePointer<pb_socket_stream>] = []
        private var started = false

        func add(_ stream: UnsafeMutablePointer<pb_socket_stream>) {
            lock.lock()
            streams.append(stream)
            if !started {
                started = true
                let thread = Thread { [self] in run() }
                thread.name = "promote.git2.watchdog"
                thread.start()
            }
            lock.signal()
            lock.unlock()
        }

        func remove(_ stream: UnsafeMutablePointer<pb_socket_stream>) {
            lock.lock()
            streams.removeAll { $0 == stream }
            lock.unlock()
        }

        private func run() {
            lock.lock()
            while true {
                if streams.isEmpty {
                    lock.wait()
                    continue
                }
                _ = lock.wait(until: Date().addingTimeInterval(0.2))
                for stream in streams {
                    let s = stream.pointee
                    guard s.connected != 0, s.used_io == 0, s.timed_out == 0, s.s >= 0 else { continue }
                    var sinceData: UInt32 = 0, sinceAck: UInt32 = 0
                    guard pb_tcp_quiet_ms(s.s, &sinceData, &sinceAck) == 0 else { continue }
                    let limit = UInt32(max(0, s.idle_timeout_ms))
                    if sinceData >= limit && sinceAck >= limit {
                        stream.pointee.timed_out = 1
                        _ = pb_shutdown(s.s)
                    }
                }
            }
        }
    }
}
