/// Writes a new string value as YAML source text for the place of an existing scalar: plain where a plain
/// scalar reads back as exactly that string in every loader, otherwise in the original quoting style if it can
/// hold the value, otherwise double-quoted (JSON-compatible escapes).
enum ScalarRenderer {
    /// Whether `value` can be written as a plain scalar (in flow context when `inFlow`).
    static func canBePlain(_ value: String, inFlow: Bool) -> Bool {
        let u = Array(value.utf8)
        guard let first = u.first, let last = u.last else { return false }
        if first == 0x20 || last == 0x20 { return false }
        for scalar in value.unicodeScalars where !isPrintable(scalar) || scalar == "\t" || scalar == "\u{FEFF}" {
            return false
        }
        switch first {
        case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"),
            UInt8(ascii: "#"), UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"),
            UInt8(ascii: ">"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"),
            UInt8(ascii: "`"):
            return false
        case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
            guard u.count > 1, u[1] != 0x20 else { return false }
            if inFlow && (first == UInt8(ascii: ":") || isFlowIndicator(u[1])) { return false }
        default:
            break
        }
        if value.hasPrefix("---") || value.hasPrefix("...") { return false }
        if last == UInt8(ascii: ":") { return false }
        for i in 0..<u.count {
            if u[i] == UInt8(ascii: ":") && (i + 1 == u.count || u[i + 1] == 0x20 || inFlow) { return false }
            if u[i] == UInt8(ascii: "#") && i > 0 && u[i - 1] == 0x20 { return false }
            if inFlow && isFlowIndicator(u[i]) { return false }
        }
        return ScalarResolver.readsAsString(plain: value)
    }

    static func isFlowIndicator(_ c: UInt8) -> Bool {
        c == UInt8(ascii: ",") || c == UInt8(ascii: "[") || c == UInt8(ascii: "]") || c == UInt8(ascii: "{")
            || c == UInt8(ascii: "}")
    }

    /// YAML's c-printable set, minus the line breaks (also YAML 1.1's NEL, LS, PS) and the BOM.
    static func isPrintable(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09, 0x20...0x7E: return true
        case 0xA0...0xD7FF, 0xE000...0xFFFD: return s.value != 0xFEFF && s.value != 0x2028 && s.value != 0x2029
        case 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    /// Whether `value` fits on one line in single quotes.
    static func canBeSingleQuoted(_ value: String) -> Bool {
        value.unicodeScalars.allSatisfy { isPrintable($0) && $0 != "\t" }
    }

    static func singleQuoted(_ value: String) -> String {
        "'" + value.replacingOccurrences("'", "''") + "'"
    }

    /// Double-quoted with JSON-compatible escapes (also valid YAML), so JSON manifests stay JSON.
    static func doubleQuoted(_ value: String) -> String {
        var out = "\""
        for s in value.unicodeScalars {
            switch s {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if isPrintable(s) {
                    out.unicodeScalars.append(s)
                } else {
                    let hex = String(s.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                }
            }
        }
        return out + "\""
    }

    /// Block scalar content for `value`, or nil when a block scalar cannot hold it simply.
    /// Returns the header indicator (`|`/`>` plus chomping) and the content lines.
    static func block(_ value: String, folded: Bool) -> (header: String, lines: [Substring])? {
        guard !value.isEmpty, value.unicodeScalars.allSatisfy({ isPrintable($0) || $0 == "\n" }) else { return nil }
        var body = Substring(value)
        var trailing = 0
        while body.last == "\n" {
            body = body.dropLast()
            trailing += 1
        }
        guard trailing <= 1, !body.isEmpty else { return nil }
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, let c = first.first, c != " ", c != "\t" else { return nil }
        // A folded scalar joins lines; keep it folded only for one line, otherwise write it literal.
        let indicator = folded && lines.count == 1 ? ">" : "|"
        for line in lines where line.last == " " || line.last == "\t" {
            if indicator == ">" { return nil }
        }
        if lines.count > 1 && lines.contains(where: { $0.first == " " || $0.first == "\t" }) { return nil }
        return (indicator + (trailing == 0 ? "-" : ""), lines)
    }
}
