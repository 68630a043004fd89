/// Decides what a terminal shows of clone, fetch and push progress: at most one redraw of the progress line per
/// `interval` (none before the first `interval` of a transfer has passed, so short transfers draw no partial line)
/// and exactly one final line ending in "done." when a transfer completes. Pure: it is told the time and returns
/// the text to write, so the throttling is tested without a terminal (`GitTransfer.terminalPrinter` writes it).
public struct TerminalProgress: Sendable {
    /// The shortest time between two redraws of the progress line.
    public let interval: Duration
    private var transfer: Int?
    private var started: ContinuousClock.Instant?
    private var lastDraw: ContinuousClock.Instant?
    private var drawnLength = 0
    private var finished = false

    /// A throttle drawing at most one progress line per `interval` (default 200 ms: five redraws a second).
    public init(interval: Duration = .milliseconds(200)) {
        self.interval = interval
    }

    /// The text to write for `progress` reported at `now`, or nil when nothing should be written.
    public mutating func text(for progress: GitTransfer, at now: ContinuousClock.Instant) -> String? {
        var prefix = ""
        if transfer != progress.transfer {
            // A new transfer: end a line the previous one left open (it failed before "done.").
            if drawnLength > 0 && !finished { prefix = "\n" }
            self = TerminalProgress(interval: interval)
            transfer = progress.transfer
            started = now
        }
        if finished { return prefix.isEmpty ? nil : prefix }
        let line = Self.line(for: progress)
        if progress.totalObjects > 0 && progress.objects >= progress.totalObjects {
            finished = true
            return prefix + "\r" + Self.padded(line + ", done.", over: drawnLength) + "\n"
        }
        guard let reference = lastDraw ?? started, now - reference >= interval else {
            return prefix.isEmpty ? nil : prefix
        }
        lastDraw = now
        let text = Self.padded(line, over: drawnLength)
        drawnLength = line.count
        return prefix + "\r" + text
    }

    /// "Receiving objects: 100/50000, 12 KiB" or "Pushing objects: 3/3, 1 KiB".
    static func line(for progress: GitTransfer) -> String {
        let verb = progress.phase == .receiving ? "Receiving" : "Pushing"
        return "\(verb) objects: \(progress.objects)/\(progress.totalObjects), \(progress.bytes / 1024) KiB"
    }

    /// `line` with spaces over what is left of a longer line drawn before it.
    private static func padded(_ line: String, over previous: Int) -> String {
        line + String(repeating: " ", count: max(0, previous - line.count))
    }
}
