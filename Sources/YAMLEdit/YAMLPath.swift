/// A path to a node, in the contract syntax: dot-separated mapping keys, `[N]` list indexes and `[key=value]`
/// list-item selectors, e.g. `spec.predictors[name=default].graph.children[name=b].modelUri`.
///
/// Inside `[...]` everything up to `]` is literal, so selector values may contain `.` and `/`
/// (`images[name=ghcr.io/org/app].newTag`). `description` prints the path back in the same syntax.
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
        var components: [Component] = []
        let chars = Array(text)
        var i = 0
        var expectKey = true
        func fail(_ why: String) -> YAMLSourceError {
            YAMLSourceError(.invalidPath, "invalid path \"\(text)\": \(why) at character \(i + 1)")
        }
        if chars.isEmpty { throw fail("empty path") }
        while i < chars.count {
            let c = chars[i]
            if c == "[" {
                guard let close = chars[i...].firstIndex(of: "]") else { throw fail("'[' without ']'") }
                let inner = String(chars[(i + 1)..<close])
                if let eq = inner.firstIndex(of: "=") {
                    let key = String(inner[..<eq])
                    let value = String(inner[inner.index(after: eq)...])
                    guard !key.isEmpty else { throw fail("selector without a key") }
                    components.append(.select(key: key, value: value))
                } else {
                    guard let n = Int(inner), n >= 0, inner.allSatisfy(\.isASCII) else {
                        throw fail("'[\(inner)]' is neither an index nor a key=value selector")
                    }
                    components.append(.index(n))
                }
                i = close + 1
                expectKey = false
                if i < chars.count {
                    if chars[i] == "." {
                        i += 1
                        expectKey = true
                        if i == chars.count { throw fail("path ends with '.'") }
                    } else if chars[i] != "[" {
                        throw fail("expected '.' or '[' after ']'")
                    }
                }
            } else {
                guard expectKey else { throw fail("expected '.' or '['") }
                var j = i
                while j < chars.count && chars[j] != "." && chars[j] != "[" {
                    if chars[j] == "]" { throw fail("unexpected ']'") }
                    j += 1
                }
                guard j > i else { throw fail("empty key") }
                components.append(.key(String(chars[i..<j])))
                i = j
                expectKey = false
                if i < chars.count && chars[i] == "." {
                    i += 1
                    expectKey = true
                    if i == chars.count { throw fail("path ends with '.'") }
                }
            }
        }
        self.components = components
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
                out += k
            case .index(let n):
                out += "[\(n)]"
            case .select(let k, let v):
                out += "[\(k)=\(v)]"
            }
        }
        return out
    }

    /// The path with one more component.
    public func appending(_ component: Component) -> YAMLPath {
        YAMLPath(components + [component])
    }
}
