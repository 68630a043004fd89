import Foundation
import Synchronization

/// Progress of a clone, fetch or push.
public struct GitTransfer: Sendable, Hashable {
    public enum Phase: Sendable, Hashable { case receiving, pushing }
    public var phase: Phase
    public var objects: Int
    public var totalObjects: Int
    public var bytes: Int
    /// Which clone, fetch or push of the process this is (each gets its own number).
    public var transfer: Int

    public init(phase: Phase, objects: Int, totalObjects: Int, bytes: Int, transfer: Int = 0) {
        self.phase = phase
        self.objects = objects
        self.totalObjects = totalObjects
        self.bytes = bytes
        self.transfer = transfer
    }

    /// A progress callback that draws one updating line on stderr when stderr is a terminal, at most five times a
    /// second, and one final line per transfer (`TerminalProgress`); it writes nothing when stderr is not a terminal.
    public static let terminalPrinter: @Sendable (GitTransfer) -> Void = { progress in
        guard isatty(2) == 1 else { return }
        let now = ContinuousClock.now
        guard let text = terminal.withLock({ $0.text(for: progress, at: now) }) else { return }
        FileHandle.standardError.write(Data(text.utf8))
    }

    private static let terminal = Mutex(TerminalProgress())

    /// A new number for `transfer`: one per clone, fetch or push.
    static func nextTransfer() -> Int { transfers.add(1, ordering: .relaxed).newValue }

    private static let transfers = Atomic<Int>(0)
}
