import Foundation

/// Connect and idle limits for one network operation.
///
/// `idle` bounds the time without any progress: for http(s):// and git:// every read and write of the socket waits
/// at most that long; for ssh:// (libssh2 reads the socket itself) a watchdog shuts the socket down once nothing
/// (no data, no acknowledgement) has arrived for that long.
public struct NetworkTimeouts: Sendable, Hashable {
    /// Longest wait for a TCP connection to be established.
    public var connect: Duration
    /// Longest time without progress once connected.
    public var idle: Duration

    public init(connect: Duration = .seconds(10), idle: Duration = .seconds(30)) {
        self.connect = connect
        self.idle = idle
    }

    /// 10 s to connect, 30 s without progress.
    public static let standard = NetworkTimeouts()

    var connectMilliseconds: Int32 { Self.milliseconds(connect) }
    var idleMilliseconds: Int32 { Self.milliseconds(idle) }

    private static func milliseconds(_ d: Duration) -> Int32 {
        let (s, atto) = d.components
        let ms = s * 1000 + atto / 1_000_000_000_000_000
        return Int32(clamping: max(1, ms))
    }

    private static let key = "promote.git2.timeouts"

    /// The limits of the operation running on this thread.
    static var current: NetworkTimeouts {
        (Thread.current.threadDictionary[key] as? Box)?.value ?? .standard
    }

    /// Runs `body` with these limits applied to every connection it opens on this thread.
    func apply<T>(_ body: () throws -> T) rethrows -> T {
        let dict = Thread.current.threadDictionary
        let previous = dict[Self.key]
        dict[Self.key] = Box(self)
        defer { dict[Self.key] = previous }
        return try body()
    }

    private final class Box: NSObject {
        let value: NetworkTimeouts
        init(_ value: NetworkTimeouts) { self.value = value }
    }
}
