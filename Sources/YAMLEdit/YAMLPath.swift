/// A path to a node, in the contract syntax: dot-separated mapping keys, `[N]` list indexes and `[key=value]`
/// list-item selectors, e.g. `spec.predictors[name=default].graph.children[name=b].modelUri`.
///
/// A key that holds `.`, `[`, `]`, `=` or `"` is written in double quotes with `\"` and `\\` as escapes
/// (`metadata.annotations."serving.kserve.io/deploymentMode"`, `"image.tag"`); Helm's backslash escape
/// (`image\.tag`) is accepted too. Inside `[...]` an unquoted selector value runs to the `]`, so it may contain `.`
/// and `/` (`images[name=ghcr.io/org/app].newTag`); a quoted one (`[name="a]b"]`) may hold anything.
/// `description` prints the path back in the same syntax, quoting where needed.
public struct YAMLPath: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// One step of a path.
    public enum Component: Sendable, Hashable {
        /// A mapping key.
        case key(String)
        /// A sequence index (0-based).
        case index(Int)
        /// The one sequence item that is a mapping whose `key` holds the scalar `value`.
        case select(key: String, value: String)
    }

    /// The steps, outermost first.
    public var components: [Component]

    /// Creates a path from components.
    public init(_ components: [Component]) {
        self.components = components
    }

    /// Parses the contract syntax.
    /// - Throws: `YAMLSourceError` `.invalidPath` naming the character position.
    public init(parsing text: String) throws(YAMLSourceError) {
        var parser = PathParser(text: text)
        components = try parser.parse()
    }

    /// Parses a literal path; an invalid literal becomes a path with one key holding the whole text
    /// (which then simply does not resolve). Prefer `init(parsing:)` for input.
    public init(stringLiteral value: String) {
        self.components = (try? YAMLPath(parsing: value).components) ?? [.key(value)]
    }

    /// The path in the contract syntax.
    public var description: String {
        var out = ""
        for component in components {
            switch component {
            case .key(let k):
                if !out.isEmpty { out += "." }
                out += Self.needsQuotes(key: k) ? Self.quoted(k) : k
            case .index(let n):
                out += "[\(n)]"
            case .select(let k, let v):
                let key = k.isEmpty || k.first == "\"" || k.contains(where: { "=[]\"\\".contains($0) }) ? Self.quoted(k) : k
                let value = v.first == "\"" || v.contains("]") ? Self.quoted(v) : v
                out += "[\(key)=\(value)]"
            }
        }
        return out
    }

    /// The path with one more component.
    public func appending(_ component: Component) -> YAMLPath {
        YAMLPath(components + [component])
    }

    /// Whether a key must be written in double quotes to read back as itself.
    static func needsQuotes(key: String) -> Bool {
        key.isEmpty || key.contains { ".[]=\"\\".contains($0) }
    }

    /// `text` in double quotes, `"` and `\` escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for c in text {
            if c == "\"" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out + "\""
    }
}

/// The path syntax's parser (one pass over the characters).
private struct PathParser {
    let text: String
    let chars: [Character]
    var i = 0

    init(text: String) {
        self.text = text
        self.chars = Array(text)
    }

    func fail(_ why: String) -> YAMLSourceError {
        YAMLSourceError(.invalidPath, "invalid path \"\(text)\": \(why) at character \(i + 1)")
    }

    mutating func parse() throws(YAMLSourceError) -> [YAMLPath.Component] {
        if chars.isEmpty { throw fail("empty path") }
        var components: [YAMLPath.Component] = []
        var expectKey = true
        while i < chars.count {
            if chars[i] == "[" {
                i += 1
                components.append(try bracket())
            } else {
                guard expectKey else { throw fail("expected '.' or '['") }
                components.append(.key(chars[i] == "\"" ? try quoted() : try plainKey()))
            }
            expectKey = false
            guard i < chars.count else { break }
            if chars[i] == "." {
                i += 1
                expectKey = true
                if i == chars.count { throw fail("path ends with '.'") }
            } else if chars[i] != "[" {
                throw fail("expected '.' or '[' after a \(components.last.map(Self.kind) ?? "key")")
            }
        }
        return components
    }

    static func kind(_ c: YAMLPath.Component) -> String {
        switch c {
        case .key: return "quoted key"
        case .index: return "']'"
        case .select: return "']'"
        }
    }

    /// A `"…"` token with `\"` and `\\` escapes; `i` is at the opening quote.
    mutating func quoted() throws(YAMLSourceError) -> String {
        let open = i
        i += 1
        var out = ""
        while i < chars.count {
            let c = chars[i]
            if c == "\"" {
                i += 1
                return out
            }
            if c == "\\" {
                guard i + 1 < chars.count, chars[i + 1] == "\"" || chars[i + 1] == "\\" else {
                    throw fail("only \\\" and \\\\ are escapes inside quotes")
                }
                out.append(chars[i + 1])
                i += 2
                continue
            }
            out.append(c)
            i += 1
        }
        i = open
        throw fail("'\"' without a closing '\"'")
    }

    /// An unquoted key up to `.` or `[`; `\` escapes one of `. [ ] = " \` (Helm's `image\.tag`).
    mutating func plainKey() throws(YAMLSourceError) -> String {
        var out = ""
        while i < chars.count && chars[i] != "." && chars[i] != "[" {
            let c = chars[i]
            if c == "]" { throw fail("unexpected ']'") }
            if c == "\"" { throw fail("a '\"' inside a key; write the whole key in double quotes") }
            if c == "\\", i + 1 < chars.count, ".[]=\"\\".contains(chars[i + 1]) {
                out.append(chars[i + 1])
                i += 2
                continue
            }
            out.append(c)
            i += 1
        }
        guard !out.isEmpty else { throw fail("empty key") }
        return out
    }

    /// After `[`: `N]`, `key=value]`, with key and value optionally quoted.
    mutating func bracket() throws(YAMLSourceError) -> YAMLPath.Component {
        let start = i
        var key: String
        var keyQuoted = false
        if i < chars.count && chars[i] == "\"" {
            key = try quoted()
            keyQuoted = true
        } else {
            key = ""
            while i < chars.count && chars[i] != "=" && chars[i] != "]" {
                if chars[i] == "[" || chars[i] == "\"" { throw fail("unexpected '\(chars[i])' in '[...]'") }
                key.append(chars[i])
                i += 1
            }
        }
        guard i < chars.count else {
            i = start - 1
            throw fail("'[' without ']'")
        }
        if chars[i] == "]" {
            i += 1
            guard !keyQuoted, let n = Int(key), n >= 0, key.allSatisfy(\.isASCII) else {
                i = start - 1
                throw fail("'[\(key)]' is neither an index nor a key=value selector")
            }
            return .index(n)
        }
        guard chars[i] == "=" else { throw fail("expected '=' or ']'") }
        guard !key.isEmpty else { throw fail("selector without a key") }
        i += 1
        let value: String
        if i < chars.count && chars[i] == "\"" {
            value = try quoted()
            guard i < chars.count, chars[i] == "]" else { throw fail("expected ']' after the quoted value") }
        } else {
            var v = ""
            while i < chars.count && chars[i] != "]" {
                v.append(chars[i])
                i += 1
            }
            guard i < chars.count else {
                i = start - 1
                throw fail("'[' without ']'")
            }
            value = v
        }
        i += 1
        return .select(key: key, value: value)
    }
}
