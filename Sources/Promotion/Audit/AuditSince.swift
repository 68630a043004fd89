public import Foundation

/// The `--since` of `promote audit` and the `since` of `GET /v1/audit`: an RFC 3339 time
/// (`2026-12-04T10:00:00Z`) or a duration back from now (`90s`, `30m`, `24h`, `7d`).
public enum AuditSince {
    /// The time `text` names, or nil when it is neither form.
    public static func parse(_ text: String, now: Date) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let unit = trimmed.last, let factor = units[unit],
            let count = Double(trimmed.dropLast()), count.isFinite, count >= 0
        {
            return now.addingTimeInterval(-count * factor)
        }
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime]] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let date = formatter.date(from: trimmed) { return date }
        }
        return nil
    }

    /// The message for a value that does not parse.
    public static func problem(_ text: String) -> String {
        "'\(text.prefix(80))' is neither an RFC 3339 time (2026-12-04T10:00:00Z) nor a duration (30m, 24h, 7d)"
    }
}
