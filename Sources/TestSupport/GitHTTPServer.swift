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
