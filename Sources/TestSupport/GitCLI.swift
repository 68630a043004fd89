public import Foundation

/// Runs the `git` CLI for tests, isolated from the machine's config (no system config, a private HOME).
public struct GitCLI: Sendable {
    /// The HOME used by every invocation (holds no config unless a test writes one).
    public let home: String

    public init(home: String) {
        self.home = home
        try? FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    }

    /// The environment every git invocation gets.
    public var environment: [String: String] {
        [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": home,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_AUTHOR_NAME": "Fixture Author",
            "GIT_AUTHOR_EMAIL": "fixture@example.com",
            "GIT_COMMITTER_NAME": "Fixture Author",
            "GIT_COMMITTER_EMAIL": "fixture@example.com",
            "LC_ALL": "C",
        ]
    }

    /// Runs `git args...` in `directory`; returns stdout, throws `GitCommandError` on a non-zero exit.
    @discardableResult
    public func run(_ args: [String], in directory: String? = nil, input: Data? = nil, extraEnvironment: [String: String] = [:])
        throws -> String
    {
        let result = try GitProcess.run(
            "/usr/bin/git", ["-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always"] + args,
            in: directory, environment: environment.merging(extraEnvironment) { $1 }, input: input)
        guard result.status == 0 else {
            throw GitCommandError(command: "git " + args.joined(separator: " "), status: result.status, output: result.stdout + result.stderr)
        }
        return result.stdout
    }

    /// Like `run`, with the output trimmed of surrounding white space.
    public func line(_ args: [String], in directory: String? = nil) throws -> String {
        try run(args, in: directory).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A test helper command that exited with a non-zero status.
public struct GitCommandError: Error, CustomStringConvertible {
    public var command: String
    public var status: Int32
    public var output: String
    public var description: String { "\(command) exited with \(status): \(output)" }

    public init(command: String, status: Int32, output: String) {
        self.command = command
        self.status = status
        self.output = output
    }
}
