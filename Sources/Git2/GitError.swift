internal import Clibgit2

/// A failed libgit2 call: the C function, its return code, libgit2's error class and message (credentials redacted).
public struct GitError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is, for callers that must react differently.
    public enum Kind: Sendable, Hashable {
        /// Anything not listed below.
        case other
        /// A reference or object is not there (GIT_ENOTFOUND).
        case notFound
        /// A compare-and-swap on a reference found another value (GIT_EMODIFIED), or a push lease was broken.
        case stale
        /// The remote refused the push as not fast-forward (GIT_ENONFASTFORWARD or missing remote commits).
        case nonFastForward
        /// Authentication failed or was required and not available (GIT_EAUTH).
        case authentication
        /// The server's certificate or SSH host key was refused (GIT_ECERTIFICATE).
        case certificate
        /// A connect or idle timeout fired.
        case timeout
        /// A transport-level failure (connection refused, reset, HTTP error...).
        case network
    }

    /// The libgit2 function that failed, e.g. `git_remote_push`.
    public var function: String
    /// Its return code.
    public var code: Int32
    /// libgit2's error class (`git_error_t`), 0 when none was set.
    public var errorClass: Int32
    /// libgit2's message, with URL userinfo redacted.
    public var message: String
    /// The classification.
    public var kind: Kind

    public init(function: String, code: Int32, errorClass: Int32 = 0, message: String, kind: Kind = .other) {
        self.function = function
        self.code = code
        self.errorClass = errorClass
        self.message = Redaction.redact(message)
        self.kind = kind
    }

    public var description: String { "\(function) failed (\(code)): \(message)" }

    /// The thread's last libgit2 error for a failed call of `function` with return code `code`.
    static func last(_ function: String, _ code: Int32) -> GitError {
        var message = "unknown error"
        var errorClass: Int32 = 0
        if let err = git_error_last() {
            errorClass = err.pointee.klass
            if let text = err.pointee.message { message = String(cString: text) }
        }
        var kind: Kind
        switch code {
        case GIT_ENOTFOUND.rawValue: kind = .notFound
        case GIT_EMODIFIED.rawValue: kind = .stale
        case GIT_ENONFASTFORWARD.rawValue: kind = .nonFastForward
        case GIT_EAUTH.rawValue: kind = .authentication
        case GIT_ECERTIFICATE.rawValue: kind = .certificate
        default:
            switch UInt32(bitPattern: errorClass) {
            case GIT_ERROR_NET.rawValue, GIT_ERROR_SSH.rawValue, GIT_ERROR_HTTP.rawValue, GIT_ERROR_SSL.rawValue:
                kind = .network
            default: kind = .other
            }
        }
        if message.contains("not present locally") { kind = .nonFastForward }
        if TimeoutStream.takeTimeoutFlag() {
            kind = .timeout
            if !message.contains("timed out") { message = "network timeout (no data from the server); \(message)" }
        }
        return GitError(function: function, code: code, errorClass: errorClass, message: message, kind: kind)
    }

    /// Throws the thread's last error when `code` is negative; returns `code` otherwise.
    @discardableResult
    static func check(_ code: Int32, _ function: String) throws(GitError) -> Int32 {
        if code < 0 { throw last(function, code) }
        return code
    }
}
