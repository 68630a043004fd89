import Foundation

/// sshd on 127.0.0.1 with a generated ed25519 host key, accepting one generated ed25519 client key (needs root).
public final class GitSSHServer: Sendable {
    public let port: Int
    /// The client's private key file.
    public let clientKey: String
    /// The client's public key file.
    public let clientPublicKey: String
    /// A known_hosts file listing this server's host key.
    public let knownHosts: String
    /// The host key's `SHA256:...` fingerprint (as `ssh-keygen -lf` prints it).
    public let hostFingerprint: String
    /// The login user (the current user).
    public let user: String
    private let process: GitProcess

    public init(directory: String, lifetime: Int = 300) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try fm.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        func p(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        for key in ["host_ed25519", "client_ed25519"] {
            let r = try GitProcess.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", key, "-f", p(key)])
            guard r.status == 0 else { throw GitCommandError(command: "ssh-keygen", status: r.status, output: r.stderr) }
        }
        try fm.copyItem(atPath: p("client_ed25519.pub"), toPath: p("authorized_keys"))
        let port = try GitPorts.free()
        let config = """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(p("host_ed25519"))
            PidFile \(p("sshd.pid"))
            AuthorizedKeysFile \(p("authorized_keys"))
            StrictModes no
            PubkeyAuthentication yes
            PermitRootLogin prohibit-password
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            """
        try config.write(toFile: p("sshd_config"), atomically: true, encoding: .utf8)
        let hostPub = try String(contentsOfFile: p("host_ed25519.pub"), encoding: .utf8).split(separator: " ")
        try "[127.0.0.1]:\(port) \(hostPub[0]) \(hostPub[1])\n".write(toFile: p("known_hosts"), atomically: true, encoding: .utf8)
        let fp = try GitProcess.run("/usr/bin/ssh-keygen", ["-lf", p("host_ed25519.pub"), "-E", "sha256"])
        self.hostFingerprint = String(fp.stdout.split(separator: " ")[1])
        let started = try GitProcess.start(
            GitTestScripts.python,
            [GitTestScripts.server, "supervise", "--lifetime", String(lifetime), "--", "/usr/sbin/sshd", "-D", "-f", p("sshd_config"), "-E", p("sshd.log")],
            readPort: false)
        self.process = started.process
        self.port = port
        self.clientKey = p("client_ed25519")
        self.clientPublicKey = p("client_ed25519.pub")
        self.knownHosts = p("known_hosts")
        self.user = ProcessInfo.processInfo.environment["USER"] ?? "root"
        do { try GitPorts.waitUntilAccepting(port) } catch {
            started.process.stop()
            throw error
        }
    }

    /// `ssh://user@127.0.0.1:port/<absolute path>`.
    public func url(_ absolutePath: String) -> String { "ssh://\(user)@127.0.0.1:\(port)\(absolutePath)" }

    /// A `GIT_SSH_COMMAND` for the git CLI that uses the client key and this server's known_hosts.
    public var sshCommand: String {
        "ssh -i \(clientKey) -o IdentitiesOnly=yes -o UserKnownHostsFile=\(knownHosts) -o StrictHostKeyChecking=yes"
    }

    public func stop() { process.stop() }
}
