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
        // Logs go to stderr; a command's own output goes to stdout. `PROMOTE_LOG_LEVEL` (trace ... critical) sets how
        // much: the CLI says only what goes wrong by default.
        // The service logs what it does (info); the CLI says only what goes wrong (warning).
        let serving = CommandLine.arguments.dropFirst().first == "serve"
        let level = ProcessInfo.processInfo.environment["PROMOTE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? (serving ? .info : .warning)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let status = await run()
        // Leave without running the libraries' exit handlers and finalisers (ICU's, OpenSSL's). Threads of the
        // runtime can still be releasing objects when `exit` runs them, which aborted commands with a "double free"
        // after their work was done and their output written. Everything that must be durable is committed already
        // (SQLite transactions, pushes); only stdio buffers remain, and they are flushed here.
        fflush(nil)
        _exit(status)
    }

    /// Parses and runs the command as `ParsableCommand.main()` does, returning the exit status instead of exiting:
    /// help and version on stdout, errors on stderr, 64 for usage errors.
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
            let code = PromoteCommand.exitCode(for: error)
            let message = PromoteCommand.fullMessage(for: error)
            if !message.isEmpty {
                if code == .success {
                    print(message)
                } else {
                    FileHandle.standardError.write(Data((message + "\n").utf8))
                }
            }
            return code.rawValue
        }
    }
}
