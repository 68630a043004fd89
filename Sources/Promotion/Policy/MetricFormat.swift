/// Formats metric values the same way everywhere (PR bodies, gate messages, CLI output).
public enum MetricFormat {
    /// A number without trailing zeros: `0.93`, `250`, `-0.01`.
    public static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(value)
        if text.contains("e") { return text }
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// A signed difference: `+0.02`, `-3`, `0`.
    public static func delta(_ value: Double) -> String {
        let rounded = (value * 1e9).rounded() / 1e9
        if rounded == 0 { return "0" }
        return (rounded > 0 ? "+" : "") + number(rounded)
    }
}
