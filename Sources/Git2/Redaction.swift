import Foundation

/// Removes credentials from URLs before they are printed or put into an error.
public enum Redaction {
    /// `scheme://user:secret@host/...` becomes `scheme://***@host/...`, everywhere in `text`.
    public static func redact(_ text: String) -> String {
        guard text.contains("@") else { return text }
        var out = ""
        var rest = Substring(text)
        while let range = rest.range(of: "://") {
            out += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            // userinfo ends at the first '@' before any '/', '?', '#' or whitespace.
            var end = rest.startIndex
            var at: Substring.Index?
            while end < rest.endIndex {
                let c = rest[end]
                if c == "/" || c == "?" || c == "#" || c == " " || c == "\n" || c == "'" || c == "\"" { break }
                if c == "@" { at = end }
                end = rest.index(after: end)
            }
            if let at {
                out += "***@"
                rest = rest[rest.index(after: at)...]
            }
        }
        out += rest
        return out
    }
}
