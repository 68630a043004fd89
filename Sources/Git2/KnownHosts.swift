import Foundation

/// A minimal OpenSSH known_hosts reader: plain host patterns (`host`, `[host]:port`, comma-separated, `*`/`?`
/// wildcards, `!` negation), `@revoked` markers. Hashed host names are not supported.
enum KnownHosts {
    enum Verdict: Equatable {
        case match
        case problem(String)
    }

    static func check(file: String, host: String, port: Int, keyBase64: String) -> Verdict {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            return .problem("cannot read the known_hosts file \(file)")
        }
        let names = port == 22 ? [host, "[\(host)]:22"] : ["[\(host)]:\(port)"]
        var listed = false
        for line in text.split(whereSeparator: \.isNewline) {
            var fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let first = fields.first, !first.hasPrefix("#") else { continue }
            var revoked = false
            if first.hasPrefix("@") {
                revoked = first == "@revoked"
                if first != "@revoked" { continue }  // @cert-authority: not supported
                fields.removeFirst()
            }
            guard fields.count >= 3, matches(patterns: fields[0], names: names) else { continue }
            if fields[2] == keyBase64 {
                if revoked { return .problem("the SSH host key of \(host):\(port) is marked @revoked in \(file)") }
                return .match
            }
            listed = true
        }
        if listed {
            return .problem("the SSH host key of \(host):\(port) does not match the key(s) listed in \(file)")
        }
        return .problem("\(host):\(port) is not listed in the known_hosts file \(file)")
    }

    private static func matches(patterns: String, names: [String]) -> Bool {
        var matched = false
        for pattern in patterns.split(separator: ",") {
            if pattern.hasPrefix("!") {
                if names.contains(where: { glob(String(pattern.dropFirst()), $0) }) { return false }
            } else if names.contains(where: { glob(String(pattern), $0) }) {
                matched = true
            }
        }
        return matched
    }

    private static func glob(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        func m(_ i: Int, _ j: Int) -> Bool {
            if i == p.count { return j == t.count }
            if p[i] == "*" { return m(i + 1, j) || (j < t.count && m(i, j + 1)) }
            if j < t.count && (p[i] == "?" || p[i] == t[j]) { return m(i + 1, j + 1) }
            return false
        }
        return m(0, 0)
    }
}
