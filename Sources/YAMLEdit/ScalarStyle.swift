/// How a scalar is written in the source.
public enum ScalarStyle: String, Sendable, Hashable, CaseIterable {
    /// Unquoted (`key: value`); also the style of an empty value (`key:`).
    case plain
    /// `'single quoted'`
    case singleQuoted = "single-quoted"
    /// `"double quoted"`
    case doubleQuoted = "double-quoted"
    /// A literal block scalar (`|`).
    case literal
    /// A folded block scalar (`>`).
    case folded

    /// Whether the style is a block scalar (`|` or `>`).
    public var isBlock: Bool { self == .literal || self == .folded }
}
