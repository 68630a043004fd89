import Promotion
import YAMLEdit

/// The JSON line `promote spec models` prints for a location (keys in a fixed order).
enum SpecJSON {
    static func line(_ l: ModelLocation) -> String {
        var fields: [(String, String)] = [
            ("document", String(l.document)),
            ("kind", string(l.kind)),
            ("name", string(l.name)),
            ("path", string(l.path.description)),
            ("value", value(l.value)),
            ("type", string(l.type.rawValue)),
            ("pathIndex", string(l.indexPath.description)),
            ("line", String(l.location.line)),
            ("style", string(l.style.rawValue)),
        ]
        if let api = l.apiVersion { fields.insert(("apiVersion", string(api)), at: 1) }
        return "{" + fields.map { "\(string($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
    }

    static func value(_ v: ResolvedScalar) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let f): return f.isFinite ? String(f) : string(String(f))
        case .string(let s), .timestamp(let s): return string(s)
        }
    }

    static func string(_ s: String?) -> String {
        guard let s else { return "null" }
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F || u.value == 0x2028 || u.value == 0x2029 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
