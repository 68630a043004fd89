/// The range a configured duration must fall in. Durations are read as seconds (`90`, `30s`, `10m`, `1h`, `2d`) and
/// checked here, so that `1e16s`, `inf` or `nan` are refused with their file and line by `promote config validate`
/// instead of overflowing when the service turns them into timers.
public struct DurationRange: Sendable, Hashable {
    /// The shortest accepted value, in seconds.
    public var shortest: Double
    /// The longest accepted value, in seconds.
    public var longest: Double

    public init(shortest: Double, longest: Double) {
        self.shortest = shortest
        self.longest = longest
    }

    /// Any duration Promote reads: above zero, at most a year.
    public static let anything = DurationRange(shortest: .leastNonzeroMagnitude, longest: 365 * 86_400)
    /// Schedules (`reconcile.every`, `poll.every`): one second to thirty days.
    public static let schedule = DurationRange(shortest: 1, longest: 30 * 86_400)
    /// Network timeouts (`repository.timeouts`): a tenth of a second to one hour.
    public static let networkTimeout = DurationRange(shortest: 0.1, longest: 3_600)

    public func contains(_ seconds: Double) -> Bool { seconds.isFinite && seconds >= shortest && seconds <= longest }

    /// `shortest`–`longest` as people write durations, for messages.
    public var description: String { "\(Self.format(shortest)) to \(Self.format(longest))" }

    /// The seconds a duration's text names, when it is a finite number with an optional unit (`s`, `m`, `h`, `d`).
    /// Range is not checked here.
    static func seconds(in text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        var number = Substring(text)
        var factor = 1.0
        if let unit = text.last, let f = units[unit] {
            number = number.dropLast()
            factor = f
        }
        // Only digits, one dot and an exponent: `Double` would also read `inf`, `nan` and hexadecimal.
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "e" || $0 == "E" || $0 == "+" || $0 == "-") }),
            let value = Double(number), value.isFinite
        else { return nil }
        let seconds = value * factor
        return seconds.isFinite ? seconds : nil
    }

    static func format(_ seconds: Double) -> String {
        for (unit, size) in [("d", 86_400.0), ("h", 3_600.0), ("m", 60.0)] where seconds >= size && seconds.truncatingRemainder(dividingBy: size) == 0 {
            return "\(Int(seconds / size))\(unit)"
        }
        return seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
    }
}

extension ConfigReader {
    /// A duration under `key` within `range`, or nil (with a problem naming the key and line) when it is absent,
    /// not a duration, or out of range.
    mutating func duration(_ key: String, within range: DurationRange) -> Double? {
        guard let text = string(key) else { return nil }
        guard let seconds = DurationRange.seconds(in: text) else {
            report(key, "'\(text)' is not a duration such as 30s, 10m or 1h")
            return nil
        }
        guard range.contains(seconds) else {
            report(key, "'\(text)' is out of range: use \(range.description)")
            return nil
        }
        return seconds
    }
}
