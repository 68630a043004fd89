internal import Foundation

/// Hides a secret (a bearer token) wherever it appears in text meant for people: log lines, error messages,
/// an echoed request. Shared by the HTTP clients so that each does it the same way.
public enum SecretRedaction {
    /// `text` with every occurrence of `secret` replaced by `***`. Secrets shorter than four characters are left
    /// alone: hiding every `a` in a message would hide the message, not the secret.
    public static func hiding(_ secret: String?, in text: String) -> String {
        guard let secret, secret.count >= 4 else { return text }
        return text.replacingOccurrences(of: secret, with: "***")
    }
}
