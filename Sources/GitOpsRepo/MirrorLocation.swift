import Foundation
import Git2

/// Where the mirror of a URL lives in the cache: a readable, safe directory name derived from the URL without its
/// credentials, plus a hash so that two URLs never share a directory.
enum MirrorLocation {
    static func directoryName(for url: String) -> String {
        let clean = identity(of: url)
        var readable = clean
        if let range = readable.range(of: "://") { readable = String(readable[range.upperBound...]) }
        let safe = String(readable.unicodeScalars.map { c -> Character in
            let ok = (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "." || c == "-" || c == "_"
            return ok ? Character(c) : "_"
        })
        let trimmed = String(safe.trimmingCharacters(in: CharacterSet(charactersIn: "._")).prefix(80))
        return "\(trimmed.isEmpty ? "repo" : trimmed)-\(fnv1a(clean)).git"
    }

    /// The URL with any userinfo removed (how a mirror records what it mirrors).
    static func identity(of url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@") else { return url }
        return String(url[..<schemeEnd.upperBound]) + String(authority[authority.index(after: at)...]) + String(rest[authorityEnd...])
    }

    private static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16, uppercase: false)
    }
}
