public import Foundation

/// Writes ``JSONValue``s as compact JSON (RFC 8259), object keys sorted so that output is stable.
public enum JSONWriter {
    /// The JSON text of `value`.
    public static func write(_ v: JSONValue) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        emit(v, &out)
        return Data(out)
    }

    private static func emit(_ v: JSONValue, _ out: inout [UInt8]) {
        switch v {
        case .null: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .number(let d):
            if d.rounded() == d, abs(d) < 9e15 { out += Array(String(Int64(d)).utf8) } else { out += Array("\(d)".utf8) }
        case .string(let s): emitString(s, &out)
        case .array(let a):
            out.append(0x5B)
            for (i, x) in a.enumerated() {
                if i > 0 { out.append(0x2C) }
                emit(x, &out)
            }
            out.append(0x5D)
        case .object(let o):
            out.append(0x7B)
            for (i, k) in o.keys.sorted().enumerated() {
                if i > 0 { out.append(0x2C) }
                emitString(k, &out)
                out.append(0x3A)
                emit(o[k]!, &out)
            }
            out.append(0x7D)
        }
    }

    private static func emitString(_ s: String, _ out: inout [UInt8]) {
        out.append(0x22)
        for b in s.utf8 {
            switch b {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            case 0x09: out += [0x5C, 0x74]
            case 0..<0x20: out += Array(String(format: "\\u%04x", b).utf8)
            default: out.append(b)
            }
        }
        out.append(0x22)
    }
}
