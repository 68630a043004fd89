import Foundation

/// Progress of a clone, fetch or push.
public struct GitTransfer: Sendable, Hashable {
    public enum Phase: Sendable, Hashable { case receiving, pushing }
    public var phase: Phase
    public var objects: Int
    public var totalObjects: Int
    public var bytes: Int

    public init(phase: Phase, objects: Int, totalObjects: Int, bytes: Int) {
        self.phase = phase
        self.objects = objects
        self.totalObjects = totalObjects
        self.bytes = bytes
    }

    /// A progress callback that draws one updating line on stderr when stderr is a terminal (else does nothing).
    public static let terminalPrinter: @Sendable (GitTransfer) -> Void = { progress in
        guard isatty(2) == 1 else { return }
        let verb = progress.phase == .receiving ? "Receiving" : "Pushing"
        let kib = progress.bytes / 1024
        let done = progress.totalObjects > 0 && progress.objects >= progress.totalObjects
        let line = "\r\(verb) objects: \(progress.objects)/\(progress.totalObjects), \(kib) KiB\(done ? ", done.\n" : "")"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
