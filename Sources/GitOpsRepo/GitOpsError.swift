public import Promotion

/// A failure of the git adapter, with a message fit for a user (credentials redacted).
public struct GitOpsError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The edit targets a symlink, a submodule, a directory, or a malformed path.
        case unsafePath
        /// The remote branch kept moving: the update gave up after its bounded retries.
        case stale
        /// The server refused the push (a hook, a protected branch...).
        case rejected
        /// Credentials missing or rejected.
        case authentication
        /// The SSH host key or TLS certificate was refused.
        case hostVerification
        /// A connect or idle timeout fired.
        case timeout
        /// Any other network failure.
        case network
        /// A missing branch or file.
        case notFound
        /// The mirror cache cannot be used or rebuilt.
        case cache
        /// Anything else libgit2 reported.
        case git
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

extension GitOpsError: TransientFailure {
    /// A stale push, a timeout or a network failure may pass: the service retries them.
    public var isTransient: Bool { kind == .stale || kind == .timeout || kind == .network }
}
