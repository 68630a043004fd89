/// Implicit typing of plain scalars, for deciding when a new value must be quoted and for reporting values
/// the way PyYAML (the independent judge) constructs them.
///
/// `resolve(plain:)` follows PyYAML's YAML 1.1 resolver exactly. `readsAsString(plain:)` is stricter: it also
/// rejects everything YAML 1.2's core schema (Go, Kubernetes) or YAML 1.1's full bool set (`y`, `n`) would
/// read as a non-string, so that a value written plain is a string for every loader.
public enum ScalarResolver {
    /// The value PyYAML constructs from a plain scalar (or from `text` with an explicit standard `tag`).
    public static func resolve(plain text: String, tag: String? = nil) -> ResolvedScalar {
        if let tag {
            switch tag {
            case "tag:yaml.org,2002:null": return .null
            case "tag:yaml.org,2002:bool": return isBool11(text).map(ResolvedScalar.bool) ?? .string(text)
            case "tag:yaml.org,2002:int": return int11(text).map(ResolvedScalar.int) ?? .string(text)
            case "tag:yaml.org,2002:float": return float11(text).map(ResolvedScalar.float) ?? .string(text)
            default: return .string(text)
            }
        }
        if isNull(text) { return .null }
        if let b = isBool11(text) { return .bool(b) }
        if let i = int11(text) { return .int(i) }
        if isInt11Shape(text) { return .string(text) }  // an int too large for Int: keep the text
        if let f = float11(text) { return .float(f) }
        if isTimestamp(text) { return .timestamp(text) }
        return .string(text)
    }

    /// Whether `text`, written as a plain scalar, reads as the same string in YAML 1.1 (PyYAML, libyaml users),
    /// YAML 1.2 core (Go's yaml, Kubernetes) and JSON-schema loaders.
    public static func readsAsString(plain text: String) -> Bool {
        if !resolve(plain: text).isString { return false }
        if isInt11Shape(text) || text == "<<" || text == "=" { return false }
        if ["y", "Y", "n", "N"].contains(text) { return false }
        if isNumber12(text) { return false }
        return true
    }

    static func isNull(_ s: String) -> Bool {
        s.isEmpty || s == "~" || s == "null" || s == "Null" || s == "NULL"
    }

    static func isBool11(_ s: String) -> Bool? {
        switch s {
        case "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON": return true
        case "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF": return false
        default: return nil
        }
    }

    private static func digits(_ s: Substring, _ allowed: (UInt8) -> Bool) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { allowed($0) || $0 == UInt8(ascii: "_") }
    }

    private static func isDec(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    private static func isOct(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x37 }
    private static func isHex(_ c: UInt8) -> Bool { isDec(c) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x66) }

    /// PyYAML's int pattern, without evaluating.
    static func isInt11Shape(_ text: String) -> Bool {
        var s = Substring(text)
        if s.first == "-" || s.first == "+" { s = s.dropFirst() }
        if s.hasPrefix("0b") { return digits(s.dropFirst(2)) { $0 == 0x30 || $0 == 0x31 } }
        if s.hasPrefix("0x") { return digits(s.dropFirst(2), isHex) }
        if s == "0" { return true }
        if s.hasPrefix("0") { return digits(s.dropFirst(), isOct) }
        guard let first = s.utf8.first, first >= 0x31 && first <= 0x39 else { return false }
        if s.contains(":") { return isSexagesimal(s, fraction: false) }
        return digits(s, isDec)
    }

    /// `[1-9][0-9_]*(:[0-5]?[0-9])+` (plus `\.[0-9_]*` when `fraction`).
    private static func isSexagesimal(_ s: Substring, fraction: Bool) -> Bool {
        var body = s
        if fraction {
            guard let dot = s.firstIndex(of: ".") else { return false }
            guard digitsOrEmpty(s[s.index(after: dot)...]) else { return false }
            body = s[..<dot]
        }
        let parts = body.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 2, let head = parts.first, let c = head.utf8.first, c >= 0x31 && c <= 0x39,
            digits(head, isDec)
        else { return false }
        for part in parts.dropFirst() {
            let u = Array(part.utf8)
            switch u.count {
            case 1: guard isDec(u[0]) else { return false }
            case 2: guard u[0] >= 0x30 && u[0] <= 0x35 && isDec(u[1]) else { return false }
            default: return false
            }
        }
        return true
    }

    private static func digitsOrEmpty(_ s: Substring) -> Bool {
        s.utf8.allSatisfy { isDec($0) || $0 == UInt8(ascii: "_") }
    }

    static func int11(_ text: String) -> Int? {
        guard isInt11Shape(text) else { return nil }
        var s = Substring(text.replacingOccurrences("_", ""))
        var sign = 1
        if s.first == "-" { sign = -1; s = s.dropFirst() } else if s.first == "+" { s = s.dropFirst() }
        let magnitude: Int?
        if s.hasPrefix("0b") {
            magnitude = Int(s.dropFirst(2), radix: 2)
        } else if s.hasPrefix("0x") {
            magnitude = Int(s.dropFirst(2), radix: 16)
        } else if s.contains(":") {
            var total = 0
            for part in s.split(separator: ":") {
                guard let v = Int(part) else { return nil }
                total = total * 60 + v
            }
            magnitude = total
        } else if s.count > 1 && s.hasPrefix("0") {
            magnitude = Int(s.dropFirst(), radix: 8)
        } else {
            magnitude = Int(s)
        }
        return magnitude.map { $0 * sign }
    }

    /// PyYAML's float pattern.
    static func float11(_ text: String) -> Double? {
        var s = Substring(text)
        var sign = 1.0
        let signed = s.first == "-" || s.first == "+"
        if s.first == "-" { sign = -1 }
        if signed { s = s.dropFirst() }
        switch s {
        case ".inf", ".Inf", ".INF": return sign * .infinity
        case ".nan", ".NaN", ".NAN": return signed ? nil : .nan
        default: break
        }
        if let first = s.utf8.first, first >= 0x31 && first <= 0x39, s.contains(":") {
            guard isSexagesimal(s, fraction: true) else { return nil }
            let cleaned = s.replacingOccurrences("_", "")
            var parts = cleaned.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            let last = Double(parts.removeLast()) ?? 0
            var total = 0.0
            for p in parts { total = total * 60 + (Double(p) ?? 0) }
            return sign * (total * 60 + last)
        }
        // [0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?  |  \.[0-9][0-9_]*([eE][-+][0-9]+)?   (the second form unsigned)
        guard let dot = s.firstIndex(of: ".") else { return nil }
        let whole = s[..<dot]
        var rest = s[s.index(after: dot)...]
        var exponent: Substring = ""
        if let e = rest.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = rest[rest.index(after: e)...]
            rest = rest[..<e]
            guard let es = exponent.first, es == "-" || es == "+", digits(exponent.dropFirst(), isDec),
                !exponent.dropFirst().contains("_")
            else { return nil }
        }
        if whole.isEmpty {
            guard !signed, let f = rest.utf8.first, isDec(f), digitsOrEmpty(rest) else { return nil }
        } else {
            guard let f = whole.utf8.first, isDec(f), digits(whole, isDec), digitsOrEmpty(rest) else { return nil }
        }
        return Double(String(text.replacingOccurrences("_", "")))
    }

    /// YAML 1.2 core schema numbers: `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`,
    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `.inf`, `.nan`.
    static func isNumber12(_ text: String) -> Bool {
        var s = Substring(text)
        if s.hasPrefix("0o") { return digitsStrict(s.dropFirst(2), isOct) }
        if s.hasPrefix("0x") { return digitsStrict(s.dropFirst(2), isHex) }
        if s.first == "-" || s.first == "+" { s = s.dropFirst() }
        if [".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN"].contains(s) { return true }
        var mantissa = s
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            var exp = s[s.index(after: e)...]
            if exp.first == "-" || exp.first == "+" { exp = exp.dropFirst() }
            guard digitsStrict(exp, isDec) else { return false }
            mantissa = s[..<e]
        }
        if let dot = mantissa.firstIndex(of: ".") {
            let a = mantissa[..<dot]
            let b = mantissa[mantissa.index(after: dot)...]
            if a.isEmpty { return digitsStrict(b, isDec) }
            return digitsStrict(a, isDec) && b.utf8.allSatisfy(isDec)
        }
        return digitsStrict(mantissa, isDec)
    }

    private static func digitsStrict(_ s: Substring, _ allowed: (UInt8) -> Bool) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy(allowed)
    }

    /// PyYAML's timestamp pattern.
    static func isTimestamp(_ text: String) -> Bool {
        let u = Array(text.utf8)
        func d(_ i: Int) -> Bool { i < u.count && isDec(u[i]) }
        guard u.count >= 8, d(0), d(1), d(2), d(3), u[4] == UInt8(ascii: "-") else { return false }
        var i = 5
        guard d(i) else { return false }
        i += 1
        if d(i) { i += 1 }
        guard i < u.count, u[i] == UInt8(ascii: "-"), d(i + 1) else { return false }
        let monthTwoDigits = i == 7
        i += 2
        if d(i) { i += 1 }
        let dayTwoDigits = i == (monthTwoDigits ? 10 : 9)
        if i == u.count { return monthTwoDigits && dayTwoDigits && u.count == 10 }
        // time part
        if u[i] == UInt8(ascii: "T") || u[i] == UInt8(ascii: "t") {
            i += 1
        } else {
            guard u[i] == 0x20 || u[i] == 0x09 else { return false }
            while i < u.count && (u[i] == 0x20 || u[i] == 0x09) { i += 1 }
        }
        guard d(i) else { return false }
        i += 1
        if d(i) { i += 1 }
        guard i + 5 < u.count + 0, u[i] == UInt8(ascii: ":"), d(i + 1), d(i + 2), i + 3 < u.count,
            u[i + 3] == UInt8(ascii: ":"), d(i + 4), d(i + 5)
        else { return false }
        i += 6
        if i < u.count && u[i] == UInt8(ascii: ".") {
            i += 1
            while d(i) { i += 1 }
        }
        while i < u.count && (u[i] == 0x20 || u[i] == 0x09) { i += 1 }
        if i == u.count { return true }
        if u[i] == UInt8(ascii: "Z") { return i + 1 == u.count }
        guard u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+"), d(i + 1) else { return false }
        i += 2
        if d(i) { i += 1 }
        if i == u.count { return true }
        guard u[i] == UInt8(ascii: ":"), d(i + 1), d(i + 2), i + 3 == u.count else { return false }
        return true
    }
}

extension StringProtocol {
    /// `self` with every `target` removed or replaced (no Foundation).
    func replacingOccurrences(_ target: Character, _ replacement: String) -> String {
        var out = ""
        out.reserveCapacity(count)
        for c in self {
            if c == target { out += replacement } else { out.append(c) }
        }
        return out
    }
}
