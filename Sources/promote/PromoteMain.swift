import ArgumentParser
import Foundation
import Logging
import PromoteCLI

/// The `promote` executable: sets up logging, then runs the command tree of `PromoteCLI`.
///
/// An explicit `async` entry point, so that the asynchronous `main()` and `run()` are chosen (top-level code in
/// `main.swift` resolves them to the synchronous ones, which only print usage for asynchronous commands).
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
        await PromoteCommand.main()
    }
}
