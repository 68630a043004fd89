/// Connect and idle limits for every network operation of a mirror.
public struct GitTimeouts: Sendable, Hashable {
    public var connect: Duration
    /// Longest time without any progress (data or acknowledgement) once connected.
    public var idle: Duration

    public init(connect: Duration = .seconds(10), idle: Duration = .seconds(30)) {
        self.connect = connect
        self.idle = idle
    }
}
