import Foundation

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
