/// A refusal or failure the CLI reports on stderr and exits 1 for.
struct CLIFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}

import ArgumentParser
import Foundation
import Promotion

extension CLIFailure {
    /// Runs `body`; any error other than a usage error is printed to stderr (one problem a line) and becomes exit 1.
    static func reporting(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ValidationError {
            throw error
        } catch let error as ExitCode {
            throw error
        } catch let error as ConfigError {
            printError(error.problems.map { "error: \($0)" }.joined(separator: "\n"))
            throw ExitCode.failure
        } catch let error as InvalidRelease {
            printError(error.problems.map { "error: \($0)" }.joined(separator: "\n"))
            throw ExitCode.failure
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
