import Foundation

/// `git http-backend` behind a small HTTP/1.1 server with Basic auth on 127.0.0.1 (scripts/testing/git_test_server.py).
/// Reads chunked request bodies. Ends when `stop()` is called, when the test process exits, or after `lifetime`.
public final class GitHTTPServer: Sendable {
    public let port: Int
    public let root: String
    /// With TLS: the server's self-signed certificate (PEM, CN and SAN 127.0.0.1).
    public let certificateFile: String?
    private let process: GitProcess

    /// Serves every repository under `root`; with a user, requests without the right credentials get 401. With
    /// `tls`, serves https with a freshly generated self-signed ECDSA certificate.
    public init(root: String, user: String? = nil, password: String? = nil, tls: Bool = false, lifetime: Int = 300) throws {
        var args = [GitTestScripts.server, "http", "--root", root, "--lifetime", String(lifetime)]
        if let user, let password { args += ["--user", user, "--password", password] }
        if tls {
            let cert = root + "-tls-cert.pem", key = root + "-tls-key.pem"
            let made = try GitProcess.run("/usr/bin/openssl", [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
                "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ])
            guard made.status == 0 else { throw GitCommandError(command: "openssl req", status: made.status, output: made.stderr) }
            args += ["--tls-cert", cert, "--tls-key", key]
            certificateFile = cert
        } else {
            certificateFile = nil
        }
        let started = try GitProcess.start(GitTestScripts.python, args, readPort: true)
        self.process = started.process
        self.port = started.port!
        self.root = root
    }

    /// `http(s)://127.0.0.1:port/<name>` (no credentials in it).
    public func url(_ name: String) -> String { "\(scheme)://127.0.0.1:\(port)/\(name)" }

    private var scheme: String { certificateFile == nil ? "http" : "https" }

    /// `http://user:password@127.0.0.1:port/<name>`, for the git CLI.
    public func url(_ name: String, user: String, password: String) -> String {
        "\(scheme)://\(user):\(password)@127.0.0.1:\(port)/\(name)"
    }

    public func stop() { process.stop() }
}
