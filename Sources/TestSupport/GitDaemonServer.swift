import Foundation

/// `git daemon` on 127.0.0.1 serving (and accepting pushes to) every repository under `root`.
public final class GitDaemonServer: Sendable {
    public let port: Int
    private let process: GitProcess

    public init(root: String, lifetime: Int = 300) throws {
        let port = try GitPorts.free()
        let env = ["PATH": "/usr/bin:/bin", "HOME": root, "GIT_CONFIG_NOSYSTEM": "1"]
        let started = try GitProcess.start(
            GitTestScripts.python,
            [GitTestScripts.server, "supervise", "--lifetime", String(lifetime), "--", "/usr/bin/git", "daemon", "--reuseaddr", "--listen=127.0.0.1",
             "--port=\(port)", "--base-path=\(root)", "--export-all", "--enable=receive-pack", root],
            environment: env, readPort: false)
        self.process = started.process
        self.port = port
        do { try GitPorts.waitUntilAccepting(port) } catch {
            started.process.stop()
            throw error
        }
    }

    /// `git://127.0.0.1:port/<name>`.
    public func url(_ name: String) -> String { "git://127.0.0.1:\(port)/\(name)" }

    public func stop() { process.stop() }
}
