public import ArgumentParser
import Foundation
import Service

/// How the `promote` executable reports an error that ends a command: help and version on stdout; anything else on
/// stderr, starting `error: ` like every other refusal; with `--json` also ``ErrorDocument`` on stdout (`usage` for
/// a usage error, exit 64), unless the command printed its own document already.
public enum FailureOutput {
    /// Prints what `error` says and returns the exit status.
    public static func report(_ error: any Error, arguments: [String]) -> Int32 {
        let code = PromoteCommand.exitCode(for: error)
        var message = PromoteCommand.fullMessage(for: error)
        if message.isEmpty { return code.rawValue }
        if code == .success {
            print(message)
            return code.rawValue
        }
        if message.hasPrefix("Error: ") { message = "error: " + message.dropFirst(7) }
        FileHandle.standardError.write(Data((message + "\n").utf8))
        if wantsJSON(arguments) {
            let first = PromoteCommand.message(for: error)
            let kind = code == .validationFailure ? "usage" : "failed"
            print(DocumentEncoder.line(ErrorDocument(kind: kind, message: first.hasPrefix("Error: ") ? String(first.dropFirst(7)) : first)))
        }
        return code.rawValue
    }

    /// True when `--json` is among the options (before any `--`).
    static func wantsJSON(_ arguments: [String]) -> Bool {
        arguments.prefix { $0 != "--" }.contains("--json")
    }
}
