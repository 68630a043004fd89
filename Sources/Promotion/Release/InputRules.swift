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
        if hasDotSegment(uri) { return "must not contain '.' or '..' path segments (also percent-encoded)" }
        return nil
    }

    /// True when a path segment of `uri` is `.` or `..`, also written with `%2e`, or a segment holds an encoded
    /// `/` or `\` (`%2f`, `%5c`): such a URI can name a place outside the prefix it seems to be under.
    public static func hasDotSegment(_ uri: String) -> Bool {
        let path = uri.range(of: "://").map { uri[$0.upperBound...] } ?? uri[...]
        let withoutQuery = path.prefix { $0 != "?" && $0 != "#" }
        for segment in withoutQuery.split(separator: "/", omittingEmptySubsequences: false) {
            let lower = segment.lowercased()
            if lower.contains("%2f") || lower.contains("%5c") || lower.contains("\\") { return true }
            let decoded = lower.replacingOccurrences(of: "%2e", with: ".")
            if decoded == "." || decoded == ".." { return true }
        }
        return false
    }

    /// Whether artifact `uri` lies under `prefix` (an `allowedUris` entry): scheme and host compared exactly
    /// (ignoring case), then the path by whole segments (`gs://models/a` is under `gs://models/` and
    /// `gs://models/a`, not under `gs://models/ab`). A URI with dot segments, user info, a query or a fragment
    /// is under nothing.
    public static func uri(_ uri: String, isUnder prefix: String) -> Bool {
        guard !hasDotSegment(uri), let u = split(uri), let p = split(prefix), u.query == nil else { return false }
        guard u.scheme == p.scheme, u.host == p.host, !u.host.contains("@") else { return false }
        var prefixSegments = p.path.split(separator: "/", omittingEmptySubsequences: false)
        if prefixSegments.last == "" { prefixSegments.removeLast() }
        let uriSegments = u.path.split(separator: "/", omittingEmptySubsequences: false)
        guard uriSegments.count >= prefixSegments.count else { return false }
        return zip(uriSegments, prefixSegments).allSatisfy { $0 == $1 }
    }

    /// scheme, host (lowercased) and path (without the leading `/`), and whether a query or fragment follows.
    private static func split(_ uri: String) -> (scheme: String, host: String, path: Substring, query: Substring?)? {
        guard let sep = uri.range(of: "://") else { return nil }
        let rest = uri[sep.upperBound...]
        let end = rest.firstIndex { $0 == "?" || $0 == "#" }
        let beforeQuery = rest[..<(end ?? rest.endIndex)]
        let slash = beforeQuery.firstIndex(of: "/")
        let host = beforeQuery[..<(slash ?? beforeQuery.endIndex)]
        let path = slash.map { beforeQuery[beforeQuery.index(after: $0)...] } ?? ""
        return (String(uri[..<sep.lowerBound]).lowercased(), host.lowercased(), path, end.map { rest[$0...] })
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
