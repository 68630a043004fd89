/// A refusal or failure the CLI reports on stderr and exits 1 for.
struct CLIFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}

import ArgumentParser
import Foundation
import GitOpsRepo
import Promotion
import Service

extension CLIFailure {
    /// Runs `body`; any error other than a usage error is printed to stderr (`error: ` and one problem a line) and
    /// becomes exit 1. With `json`, the error is also printed on stdout as the command's one document
    /// (``ErrorDocument``), so that a program reading stdout always gets JSON.
    static func reporting(json: Bool = false, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ValidationError {
            throw error
        } catch let error as ExitCode {
            throw error
        } catch {
            let (kind, problems) = classify(error)
            printError(problems.map { "error: \($0)" }.joined(separator: "\n"))
            if json {
                print(DocumentEncoder.line(ErrorDocument(
                    kind: kind, message: problems.joined(separator: "; "), problems: problems.count > 1 ? problems : nil)))
            }
            throw ExitCode.failure
        }
    }

    /// The `kind` of ``ErrorDocument`` for `error`, and its problems (one or more sentences).
    static func classify(_ error: any Error) -> (String, [String]) {
        switch error {
        case let error as ConfigError: ("config", error.problems.map(\.description))
        case let error as InvalidRelease: ("invalid-release", error.problems.map(\.description))
        case let error as ForgeFailure: ("forge", ["\(error)"])
        case let error as GitOpsError: ("git", ["\(error)"])
        case let error as ServiceSetupError: ("service", ["\(error)"])
        // A refusal names its rule (`not-verified`, `gate-failed`, `older-version` ...); a transport failure is `failed`.
        case let error as PromotionError: (error.kind == .transport ? "failed" : error.kind.rawValue, ["\(error)"])
        default: ("failed", ["\(error)"])
        }
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
