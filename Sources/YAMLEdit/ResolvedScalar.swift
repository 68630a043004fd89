/// A scalar's value as a YAML 1.1 loader (PyYAML's `safe_load`) constructs it from a plain scalar.
public enum ResolvedScalar: Sendable, Hashable {
    /// `~`, `null`, `Null`, `NULL` or nothing.
    case null
    /// `true`/`false`, `yes`/`no`, `on`/`off` in their three spellings.
    case bool(Bool)
    /// Decimal, `0x`, `0b`, leading-zero octal, `_` separators and base 60 (`1:30`).
    case int(Int)
    /// Decimal floats with a dot, `.inf`, `.nan`, base 60 with a dot.
    case float(Double)
    /// A date or timestamp (`2002-12-14`); kept as text.
    case timestamp(String)
    /// Anything else, and every quoted or block scalar.
    case string(String)

    /// Whether a loader reads this as a string.
    public var isString: Bool {
        if case .string = self { return true }
        return false
    }
}
