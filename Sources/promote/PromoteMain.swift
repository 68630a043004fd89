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
}
