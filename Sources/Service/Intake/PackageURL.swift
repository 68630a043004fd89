/// A package URL (`pkg:type/namespace/name@version?qualifiers#subpath`), as CDEvents artifacts are identified.
public struct PackageURL: Sendable, Hashable {
    public var type: String
    public var namespace: String?
    public var name: String
    public var version: String?
    public var qualifiers: [String: String]
    public var subpath: String?

    /// Parses a purl; nil when it is not one. Components are percent-decoded exactly once.
    public init?(_ text: String) {
        var rest = Substring(text)
        guard rest.lowercased().hasPrefix("pkg:") else { return nil }
        rest = rest.dropFirst(4)
        while rest.first == "/" { rest = rest.dropFirst() }
        if let hash = rest.lastIndex(of: "#") {
            subpath = Self.decode(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        var qualifiers: [String: String] = [:]
        if let question = rest.lastIndex(of: "?") {
            for pair in rest[rest.index(after: question)...].split(separator: "&") {
                guard let eq = pair.firstIndex(of: "=") else { return nil }
                let key = pair[..<eq].lowercased()
                guard !key.isEmpty, let value = Self.decode(pair[pair.index(after: eq)...]) else { return nil }
                qualifiers[key] = value
            }
            rest = rest[..<question]
        }
        self.qualifiers = qualifiers
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        type = rest[..<slash].lowercased()
        rest = rest[rest.index(after: slash)...]
        if let at = rest.lastIndex(of: "@") {
            guard let v = Self.decode(rest[rest.index(after: at)...]), !v.isEmpty else { return nil }
            version = v
            rest = rest[..<at]
        }
        var segments = rest.split(separator: "/", omittingEmptySubsequences: true)
        guard let last = segments.popLast(), let decodedName = Self.decode(last), !decodedName.isEmpty, !type.isEmpty else { return nil }
        name = decodedName
        let ns = segments.compactMap { Self.decode($0) }
        guard ns.count == segments.count else { return nil }
        namespace = ns.isEmpty ? nil : ns.joined(separator: "/")
    }

    /// Percent-decodes once; nil on a malformed escape or invalid UTF-8.
    static func decode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var i = text.utf8.startIndex
        let utf8 = text.utf8
        while i < utf8.endIndex {
            let b = utf8[i]
            if b == UInt8(ascii: "%") {
                let h = utf8.index(after: i)
                guard h < utf8.endIndex, utf8.index(after: h) < utf8.endIndex,
                    let hi = hexValue(utf8[h]), let lo = hexValue(utf8[utf8.index(after: h)])
                else { return nil }
                bytes.append(hi << 4 | lo)
                i = utf8.index(h, offsetBy: 2)
            } else {
                bytes.append(b)
                i = utf8.index(after: i)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension PackageURL {
    /// `pkg:generic/NAME@VERSION?download_url=URI`, percent-encoding as the purl spec's canonical form does.
    public static func generic(name: String, version: String, downloadURL: String) -> String {
        "pkg:generic/\(encode(name))@\(encode(version))?download_url=\(encode(downloadURL))"
    }

    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let c = Character(UnicodeScalar(byte))
            if c.isASCII, c.isLetter || c.isNumber || "-._~".contains(c) {
                out.append(c)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
