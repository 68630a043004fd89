internal import Foundation

/// A small, exact JSON reader and writer for ``SimJSON`` (RFC 8259). Much faster than `JSONDecoder`
/// for schema-less documents, which matters for pages of 100 pull requests.
enum SimJSONCodec {
    static func parse(_ data: Data) -> SimJSON? {
        data.withUnsafeBytes { raw -> SimJSON? in
            var p = Parser(bytes: raw.bindMemory(to: UInt8.self))
            p.skip()
            guard let v = p.value() else { return nil }
            p.skip()
            return p.i == p.bytes.count ? v : nil
        }
    }

    static func write(_ v: SimJSON) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        emit(v, &out)
        return Data(out)
    }

    private static func emit(_ v: SimJSON, _ out: inout [UInt8]) {
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

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func skip() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        mutating func literal(_ word: String, _ v: SimJSON) -> SimJSON? {
            let w = Array(word.utf8)
            guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else { return nil }
            i += w.count
            return v
        }

        mutating func value() -> SimJSON? {
            guard i < bytes.count else { return nil }
            switch bytes[i] {
            case 0x7B: return object()
            case 0x5B: return array()
            case 0x22: return string().map { .string($0) }
            case 0x74: return literal("true", .bool(true))
            case 0x66: return literal("false", .bool(false))
            case 0x6E: return literal("null", .null)
            default: return number()
            }
        }

        mutating func object() -> SimJSON? {
            i += 1
            var o: [String: SimJSON] = [:]
            skip()
            if i < bytes.count, bytes[i] == 0x7D { i += 1; return .object(o) }
            while true {
                skip()
                guard i < bytes.count, bytes[i] == 0x22, let k = string() else { return nil }
                skip()
                guard i < bytes.count, bytes[i] == 0x3A else { return nil }
                i += 1
                skip()
                guard let v = value() else { return nil }
                o[k] = v
                skip()
                guard i < bytes.count else { return nil }
                if bytes[i] == 0x2C { i += 1; continue }
                if bytes[i] == 0x7D { i += 1; return .object(o) }
                return nil
            }
        }

        mutating func array() -> SimJSON? {
            i += 1
            var a: [SimJSON] = []
            skip()
            if i < bytes.count, bytes[i] == 0x5D { i += 1; return .array(a) }
            while true {
                skip()
                guard let v = value() else { return nil }
                a.append(v)
                skip()
                guard i < bytes.count else { return nil }
                if bytes[i] == 0x2C { i += 1; continue }
                if bytes[i] == 0x5D { i += 1; return .array(a) }
                return nil
            }
        }

        mutating func number() -> SimJSON? {
            let start = i
            while i < bytes.count, let c = Optional(bytes[i]), (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2B || c == 0x2E || c == 0x65 || c == 0x45 { i += 1 }
            guard i > start, let d = Double(String(decoding: bytes[start..<i], as: UTF8.self)) else { return nil }
            return .number(d)
        }

        mutating func hex4() -> UInt32? {
            guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else { return nil }
            i += 4
            return v
        }

        mutating func string() -> String? {
            i += 1
            var out: [UInt8] = []
            while i < bytes.count {
                let c = bytes[i]
                if c == 0x22 { i += 1; return String(decoding: out, as: UTF8.self) }
                if c != 0x5C { out.append(c); i += 1; continue }
                i += 1
                guard i < bytes.count else { return nil }
                let e = bytes[i]
                i += 1
                switch e {
                case 0x22, 0x5C, 0x2F: out.append(e)
                case 0x62: out.append(0x08)
                case 0x66: out.append(0x0C)
                case 0x6E: out.append(0x0A)
                case 0x72: out.append(0x0D)
                case 0x74: out.append(0x09)
                case 0x75:
                    guard var u = hex4() else { return nil }
                    if u >= 0xD800 && u < 0xDC00, i + 6 <= bytes.count, bytes[i] == 0x5C, bytes[i + 1] == 0x75 {
                        i += 2
                        guard let lo = hex4() else { return nil }
                        u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00)
                    }
                    out += Array(String(Unicode.Scalar(u).map(Character.init) ?? "\u{FFFD}").utf8)
                default: return nil
                }
            }
            return nil
        }
    }
}
