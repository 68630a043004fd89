import Foundation

/// `git http-backend` behind a small HTTP/1.1 server with Basic auth on 127.0.0.1 (scripts/testing/git_test_server.py).
/// Reads chunked request bodies. Ends when `stop()` is called, when the test process exits, or after `lifetime`.
public final class GitHTTPServer: Sendable {
    public let port: Int
    public let root: String
    private let process: GitProcess

    /// Serves every repository under `root`; with a user, requests without the right credentials get 401.
    public init(root: String, user: String? = nil, password: String? = nil, lifetime: Int = 300) throws {
        var args = [GitTestScripts.server, "http", "--root", root, "--lifetime", String(lifetime)]
        if let user, let password { args += ["--user", user, "--password", password] }
        let started = try GitProcess.start(GitTestScripts.python, args, readPort: true)
        self.process = started.process
        self.port = started.port!
        self.root = root
    }

    /// `http://127.0.0.1:port/<name>` (no credentials in it).
    public func url(_ name: String) -> String { "http://127.0.0.1:\(port)/\(name)" }

    /// `http://user:password@127.0.0.1:port/<name>`, for the git CLI.
    public func url(_ name: String, user: String, password: String) -> String {
        "http://\(user):\(password)@127.0.0.1:\(port)/\(name)"
    }

    public func stop() { process.stop() }
}

/// Accepts TCP connections on 127.0.0.1 and never answers: for timeout tests. With `completeHandshake: false` the
/// accept queue is kept full, so a client's TCP connect itself never completes.
public final class GitHangingServer: Sendable {
    public let port: Int
    private let process: GitProcess

    public init(completeHandshake: Bool = true, lifetime: Int = 120) throws {
        let started = try GitProcess.start(
            GitTestScripts.python,
            [GitTestScripts.server, "hang", "--lifetime", String(lifetime)] + (completeHandshake ? [] : ["--no-handshake"]),
            readPort: true)
        self.process = started.process
        self.port = started.port!
    }

    public func stop() { process.stop() }
}

/// Where the helper scripts are.
enum GitTestScripts {
    /// The repository root, found from this source file's location.
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Sources/TestSupport/GitHTTPServer.swift
        return url.path
    }()

    static let server = (repositoryRoot as NSString).appendingPathComponent("scripts/testing/git_test_server.py")

    /// python3 from PATH (the project's test Python), else /usr/bin/python3.
    static let python: String = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(dir)/python3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return "/usr/bin/python3"
    }()
}
