/// Credentials offered to a remote. The secrets live only in this value and in libgit2's credential object.
public enum RemoteCredentials: Sendable, Hashable {
    /// No credentials (file://, git://, anonymous http).
    case none
    /// HTTP(S) basic authentication with a user name and a password or token.
    case userPassword(username: String, password: String)
    /// An SSH key pair on disk (ed25519 or ECDSA: RSA keys do not work with libssh2 1.10 against OpenSSH >= 8.8).
    case sshKey(username: String, privateKeyFile: String, publicKeyFile: String?, passphrase: String?)
}

extension RemoteCredentials: CustomStringConvertible {
    /// A description without any secret.
    public var description: String {
        switch self {
        case .none: return "none"
        case let .userPassword(user, _): return "user \(user) with a password"
        case let .sshKey(user, key, _, _): return "ssh key \(key) for \(user)"
        }
    }
}
