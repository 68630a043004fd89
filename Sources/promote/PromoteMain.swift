import ArgumentParser
import Foundation
import Logging
import PromoteCLI

/// The `promote` executable: sets up logging, then runs the command tree of `PromoteCLI`.
///
/// An explicit `async` entry point that runs the parsed command's asynchronous `run()` itself (top-level code in
/// `main.swift` would resolve to the synchronous ones, which only print usage for asynchronous commands), then
/// ends the process with `_exit` (see `main()`).
@main
enum PromoteMain {
    static func main() async {
        // Two malloc arenas instead of glibc's eight per core: a long-running `serve` spreads its short-lived
        // allocations over every thread's arena, and freed memory stranded in many arenas made its resident size
        // creep (bench/soak); two keep it near what is in use. An operator's MALLOC_ARENA_MAX wins.
        if ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil { limitMallocArenas(to: 2) }
        // Logs go to stderr (text or JSON lines); a command's own output goes to stdout.
        LogSetup.bootstrap(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
        let status = await run()
        // Leave without running the libraries' exit handlers and finalisers (ICU's, OpenSSL's). Threads of the
        // runtime can still be releasing objects when `exit` runs them, which aborted commands with a "double free"
        // after their work was done and their output written. Everything that must be durable is committed already
        // (SQLite transactions, pushes); only stdio buffers remain, and they are flushed here.
        fflush(nil)
        _exit(status)
    }

    /// Parses and runs the command as `ParsableCommand.main()` does, returning the exit status instead of exiting:
    /// help and version on stdout, errors on stderr (and as JSON on stdout with `--json`), 64 for usage errors.
    static func run() async -> Int32 {
        do {
            var command = try PromoteCommand.parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
            return ExitCode.success.rawValue
        } catch {
            return FailureOutput.report(error, arguments: Array(CommandLine.arguments.dropFirst()))
        }
    }

    /// `mallopt(M_ARENA_MAX, count)` with glibc (`malloc.h` is not part of Swift's Glibc module, so it is looked up).
    static func limitMallocArenas(to count: Int32) {
        #if os(Linux)
        let M_ARENA_MAX: Int32 = -8
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)(M_ARENA_MAX, count)
        #endif
    }
}
