import Foundation

/// The character-level rules for names that end up in file paths, branch names, YAML and commit messages.
/// Every check matches the whole string; control characters are never accepted.
public enum InputRules {
    /// The artifact URI schemes model servers' storage initialisers read.
    public static let allowedURISchemes: Set<String> = ["gs", "s3", "https", "oci", "hf", "pvc"]

    /// Why `name` cannot be a model name, or nil when it can.
    public static func modelNameProblem(_ name: String) -> String? {
        guard (1...128).contains(name.unicodeScalars.count) else { return "must be 1 to 128 characters" }
        if let c = firstControlOrSpace(name) { return "contains \(c), which is not allowed" }
        guard isAlnum(name.unicodeScalars.first!) else { return "must start with a letter or digit" }
        guard name.unicodeScalars.allSatisfy({ isAlnum($0) || $0 == "." || $0 == "_" || $0 == "-" }) else {
            return "may contain only letters, digits, '.', '_' and '-' (it becomes part of file paths and branch names)"
        }
        if name.contains("..") { return "must not contain '..'" }
        return nil
    }

    /// Why `version` cannot be a version, or nil when it can.
    public static func versionProblem(_ version: String) -> String? {
        guard (1...128).contains(version.unicodeScalars.count) else { return "must be 1 to 128 characters" }
        if let c = firstControlOrSpace(version) { return "contains \(c), which is not allowed" }
        guard isAlnum(version.unicodeScalars.first!) else { return "must start with a letter or digit" }
        guard version.unicodeScalars.allSatisfy({ isAlnum($0) || "._+-".unicodeScalars.contains($0) }) else {
            return "may contain only letters, digits, '.', '_', '+' and '-'"
        }
        return nil
    }

    /// Why `uri` cannot be an artifact URI, or nil when it can.
    public static func uriProblem(_ uri: String) -> String? {
        guard (1...2048).contains(uri.unicodeScalars.count) else { return "must be 1 to 2048 characters" }
        if let c = firstControlOrSpace(uri) { return "contains \(c), which is not allowed" }
        guard let sep = uri.range(of: "://") else { return "must be a URI such as gs://bucket/path" }
        let scheme = String(uri[..<sep.lowerBound])
        guard allowedURISchemes.contains(scheme) else {
            return "scheme '\(scheme)' is not allowed (use one of \(allowedURISchemes.sorted().joined(separator: ", ")))"
        }
        guard sep.upperBound < uri.endIndex else { return "has nothing after '\(scheme)://'" }
        return nil
    }

    /// Why `name` cannot be a metric name, or nil when it can.
    public static func metricNameProblem(_ name: String) -> String? {
        let scalars = Array(name.unicodeScalars)
        guard (1...64).contains(scalars.count) else { return "metric names must be 1 to 64 characters" }
        guard isAlnum(scalars[0]) || scalars[0] == "_" else { return "metric names must start with a letter, digit or '_'" }
        guard scalars.allSatisfy({ isAlnum($0) || "_.:/-".unicodeScalars.contains($0) }) else {
            return "metric names may contain only letters, digits and '_', '.', ':', '/', '-'"
        }
        return nil
    }

    /// Why `name` cannot be an environment name, or nil when it can.
    public static func environmentNameProblem(_ name: String) -> String? {
        let scalars = Array(name.unicodeScalars)
        guard (1...63).contains(scalars.count) else { return "must be 1 to 63 characters" }
        let lower: (Unicode.Scalar) -> Bool = { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        guard lower(scalars.first!), lower(scalars.last!), scalars.allSatisfy({ lower($0) || $0 == "-" }) else {
            return "must be lowercase letters, digits and inner '-'"
        }
        return nil
    }

    /// Why `commit` cannot be a source commit id, or nil when it can.
    public static func commitProblem(_ commit: String) -> String? {
        let ok = (7...64).contains(commit.utf8.count)
            && commit.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
        return ok ? nil : "must be 7 to 64 lowercase hex digits"
    }

    /// Why `url` cannot be a run link, or nil when it can.
    public static func runURLProblem(_ url: String) -> String? {
        guard url.unicodeScalars.count <= 2048 else { return "must be at most 2048 characters" }
        if let c = firstControlOrSpace(url) { return "contains \(c), which is not allowed" }
        guard url.hasPrefix("https://") || url.hasPrefix("http://"), url.count > 8 else {
            return "must be an http(s) URL"
        }
        return nil
    }

    /// Why `text` cannot be free text of at most `limit` characters (a pipeline name), or nil when it can.
    public static func textProblem(_ text: String, limit: Int) -> String? {
        guard (1...limit).contains(text.unicodeScalars.count) else { return "must be 1 to \(limit) characters" }
        if text.unicodeScalars.contains(where: isControl) { return "contains a control character" }
        return nil
    }

    /// Why `key` cannot be an idempotency key, or nil when it can.
    public static func idempotencyKeyProblem(_ key: String) -> String? {
        let ok = (1...200).contains(key.utf8.count) && key.unicodeScalars.allSatisfy { (0x21...0x7e).contains($0.value) }
        return ok ? nil : "must be 1 to 200 printable ASCII characters without spaces"
    }

    static func isAlnum(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s)
    }

    static func isControl(_ s: Unicode.Scalar) -> Bool { s.value < 0x20 || (0x7f...0x9f).contains(s.value) }

    /// A readable name for the first control or white-space character, if any.
    static func firstControlOrSpace(_ text: String) -> String? {
        guard let s = text.unicodeScalars.first(where: { isControl($0) || $0.properties.isWhitespace }) else { return nil }
        switch s {
        case "\n": return "a newline"
        case "\r": return "a carriage return"
        case "\t": return "a tab"
        case " ": return "a space"
        default:
            let hex = String(s.value, radix: 16, uppercase: true)
            return "the character U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
    }
}
