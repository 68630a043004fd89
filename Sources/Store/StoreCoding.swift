internal import Foundation

/// What both stores write the same way: JSON columns and promotion ids.
enum StoreCoding {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Time-ordered, unique ids: `p-<millis base36>-<random>`.
    static func newID(now: Date) -> String {
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        let random = UInt64.random(in: 0..<(36 * 36 * 36 * 36 * 36 * 36))
        let suffix = String(random, radix: 36)
        return "p-" + String(millis, radix: 36) + "-" + String(repeating: "0", count: 6 - suffix.count) + suffix
    }
}
