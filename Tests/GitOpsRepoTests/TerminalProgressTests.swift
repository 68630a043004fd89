import GitOpsRepo
import Testing

/// The terminal progress throttle, driven by a made-up clock: what a 50,000-object clone writes to a terminal.
struct TerminalProgressTests {
    let start = ContinuousClock.now

    /// A clone of 50,000 objects over 3 s (a callback every 60 µs), then 50,000 more callbacks while libgit2
    /// indexes what it received (received == total all along): the flood the issue measured at 6.8 MB.
    @Test func aLargeCloneDrawsAFewLinesASecondAndOneFinalLine() {
        var throttle = TerminalProgress()
        var written = ""
        let total = 50_000
        for i in 1...total {
            let progress = GitTransfer(phase: .receiving, objects: i, totalObjects: total, bytes: i * 240, transfer: 1)
            written += throttle.text(for: progress, at: start + .microseconds(60 * i)) ?? ""
        }
        for i in 1...total {
            let progress = GitTransfer(phase: .receiving, objects: total, totalObjects: total, bytes: total * 240, transfer: 1)
            written += throttle.text(for: progress, at: start + .seconds(3) + .microseconds(20 * i)) ?? ""
        }
        let redraws = written.filter { $0 == "\r" }.count
        #expect(redraws <= 3 * 5 + 1)
        #expect(redraws >= 10)
        #expect(written.split(separator: "\n").filter { $0.hasSuffix("done.") }.count == 1)
        #expect(written.hasSuffix("Receiving objects: 50000/50000, 11718 KiB, done.\n"))
        #expect(written.utf8.count < 2_000)
    }

    /// A transfer shorter than the interval draws only its final line.
    @Test func aShortTransferDrawsOnlyItsFinalLine() {
        var throttle = TerminalProgress()
        var written = ""
        for i in 0...3 {
            written += throttle.text(
                for: GitTransfer(phase: .pushing, objects: i, totalObjects: 3, bytes: 1500, transfer: 7),
                at: start + .milliseconds(i)) ?? ""
        }
        #expect(written == "\rPushing objects: 3/3, 1 KiB, done.\n")
    }

    /// Two pushes of the same size, one after the other, each get their final line; a transfer that stopped
    /// before "done." has its line ended before the next one draws.
    @Test func everyTransferGetsItsOwnFinalLine() {
        var throttle = TerminalProgress()
        var written = ""
        written += throttle.text(for: GitTransfer(phase: .receiving, objects: 5, totalObjects: 10, bytes: 0, transfer: 1), at: start) ?? ""
        written += throttle.text(for: GitTransfer(phase: .receiving, objects: 6, totalObjects: 10, bytes: 0, transfer: 1), at: start + .seconds(1)) ?? ""
        for transfer in [2, 3] {
            written += throttle.text(
                for: GitTransfer(phase: .pushing, objects: 3, totalObjects: 3, bytes: 0, transfer: transfer),
                at: start + .seconds(transfer)) ?? ""
        }
        #expect(written == "\rReceiving objects: 6/10, 0 KiB\n\rPushing objects: 3/3, 0 KiB, done.\n\rPushing objects: 3/3, 0 KiB, done.\n")
    }
}
