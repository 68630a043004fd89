/// How an SSH server's host key is checked. HTTPS certificates are always checked by libgit2 (mbedTLS, system CAs).
public enum HostKeyPolicy: Sendable, Hashable {
    /// Accept only a host key whose SHA-256 fingerprint is listed (`SHA256:base64`, as `ssh-keygen -lf` prints it,
    /// with or without the `SHA256:` prefix and `=` padding).
    case fingerprints([String])
    /// Accept only a host key listed for the host (`host` or `[host]:port`) in this OpenSSH known_hosts file.
    /// Hashed entries (`|1|...`) are not supported. libssh2 1.10 negotiates ECDSA before ed25519, so list every
    /// key type the server has (as `ssh-keyscan` prints them).
    case knownHostsFile(String)
    /// Refuse every SSH host (the default when nothing is configured).
    case refuse
}
