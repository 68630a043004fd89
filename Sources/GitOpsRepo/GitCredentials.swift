/// Credentials for a repository, by reference: secrets come from the environment or from files, never inline.
public enum GitCredentials: Sendable, Hashable {
    /// file://, git:// or anonymous http(s).
    case none
    /// HTTP(S) basic authentication: user name and password/token read from these environment variables.
    case https(usernameEnv: String, passwordEnv: String)
    /// An SSH key (ed25519 or ECDSA; RSA keys do not work with libssh2 1.10 against OpenSSH >= 8.8) and a host key
    /// check: a known_hosts file (default `~/.ssh/known_hosts`) or pinned `SHA256:` fingerprints (which win).
    case ssh(SSHCredentials)
}
