/// Decides whether bytes are one JSON text (RFC 8259) whose value is an object or an array: such a stream is
/// edited as JSON. One pass, no recursion (a stack of one bit per open container), so linear in the input.
enum JSONValidator {
    /// Whether `bytes[start...]` is exactly one JSON object or array, with optional whitespace around it.
    static func isJSON(_ bytes: [UInt8], from start: Int = 0) -> Bool {
        bytes.withUnsafeBufferPointer { validate($0, from: start) }
    }

    /// Whether `bytes` are exactly one JSON string, number, `true`, `false` or `null`.
    static func isScalar(_ bytes: some Collection<UInt8>) -> Bool {
        Array(bytes).withUnsafeBufferPointer { b in
            guard let c = b.first else { return false }
            var i = 0
            let ok: Bool
            switch c {
            case UInt8(ascii: "\""): ok = string(b, &i)
            case UInt8(ascii: "t"): ok = literal(b, &i, "true")
            case UInt8(ascii: "f"): ok = literal(b, &i, "false")
            case UInt8(ascii: "n"): ok = literal(b, &i, "null")
            default: ok = number(b, &i)
            }
            return ok && i == b.count
        }
    }

    private enum Expect { case value, valueOrClose, key, keyOrClose, separatorOrClose }

    private static func validate(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        let n = b.count
        var i = start
        func skipSpace() {
            while i < n, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
        }
        skipSpace()
        guard i < n, b[i] == UInt8(ascii: "{") || b[i] == UInt8(ascii: "[") else { return false }
        var stack: [Bool] = []  // per open container: true for an object, false for an array
        var expect = Expect.value
        while true {
            skipSpace()
            if stack.isEmpty && expect == .separatorOrClose { break }
            guard i < n else { return false }
            let c = b[i]
            switch expect {
            case .keyOrClose where c == UInt8(ascii: "}"), .valueOrClose where c == UInt8(ascii: "]"),
                .separatorOrClose where c == (stack.last! ? UInt8(ascii: "}") : UInt8(ascii: "]")):
                stack.removeLast()
                i += 1
                expect = .separatorOrClose
            case .separatorOrClose:
                guard c == UInt8(ascii: ",") else { return false }
                i += 1
                expect = stack.last! ? .key : .value
            case .key, .keyOrClose:
                guard c == UInt8(ascii: "\""), string(b, &i) else { return false }
                skipSpace()
                guard i < n, b[i] == UInt8(ascii: ":") else { return false }
                i += 1
                expect = .value
            case .value, .valueOrClose:
                switch c {
                case UInt8(ascii: "{"):
                    stack.append(true)
                    i += 1
                    expect = .keyOrClose
                    continue
                case UInt8(ascii: "["):
                    stack.append(false)
                    i += 1
                    expect = .valueOrClose
                    continue
                case UInt8(ascii: "\""): guard string(b, &i) else { return false }
                case UInt8(ascii: "t"): guard literal(b, &i, "true") else { return false }
                case UInt8(ascii: "f"): guard literal(b, &i, "false") else { return false }
                case UInt8(ascii: "n"): guard literal(b, &i, "null") else { return false }
                default: guard number(b, &i) else { return false }
                }
                expect = .separatorOrClose
            }
        }
        return i == n
    }

    private static func literal(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard i + count <= b.count else { return false }
        for k in 0..<count where b[i + k] != word.utf8Start[k] { return false }
        i += count
        return true
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    private static func number(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Bool {
        let n = b.count
        if i < n, b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < n, isDigit(b[i]) else { return false }
        if b[i] == 0x30 {
            i += 1
        } else {
            while i < n, isDigit(b[i]) { i += 1 }
        }
        if i < n, b[i] == UInt8(ascii: ".") {
            i += 1
            guard i < n, isDigit(b[i]) else { return false }
            while i < n, isDigit(b[i]) { i += 1 }
        }
        if i < n, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < n, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard i < n, isDigit(b[i]) else { return false }
            while i < n, isDigit(b[i]) { i += 1 }
        }
        return true
    }

    /// A string starting at the `"` at `i`: no raw control characters, only JSON's escapes.
    private static func string(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Bool {
        let n = b.count
        i += 1
        while i < n {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return true
            }
            if c < 0x20 { return false }
            if c == UInt8(ascii: "\\") {
                guard i + 1 < n else { return false }
                switch b[i + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    guard i + 6 <= n else { return false }
                    for k in 2..<6 where !isHex(b[i + k]) { return false }
                    i += 6
                default:
                    return false
                }
                continue
            }
            i += 1
        }
        return false
    }

    private static func isHex(_ c: UInt8) -> Bool {
        isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
    }
}
