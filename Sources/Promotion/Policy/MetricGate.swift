/// A metric gate from config, e.g. `accuracy: ">= production - 0.01"` or `latency_p99_ms: "<= 250"`.
///
/// The right-hand side is a number, or `production` (the metric of the version now in that environment)
/// optionally plus or minus a number or a percentage (`production - 2%`).
public struct MetricGate: Sendable, Hashable, CustomStringConvertible {
    /// A comparison operator.
    public enum Comparison: String, Sendable, Hashable, CaseIterable {
        case greaterOrEqual = ">=", lessOrEqual = "<=", greater = ">", less = "<", equal = "==", notEqual = "!="

        /// True when `lhs` compared with `rhs` this way holds.
        public func holds(_ lhs: Double, _ rhs: Double) -> Bool {
            switch self {
            case .greaterOrEqual: lhs >= rhs
            case .lessOrEqual: lhs <= rhs
            case .greater: lhs > rhs
            case .less: lhs < rhs
            case .equal: lhs == rhs
            case .notEqual: lhs != rhs
            }
        }
    }

    /// What the candidate is compared with.
    public enum Threshold: Sendable, Hashable {
        case constant(Double)
        /// `production + offset`, or `production * (1 + percent/100)` when `isPercent`.
        case production(offset: Double, isPercent: Bool)
    }

    public let metric: String
    public let comparison: Comparison
    public let threshold: Threshold
    /// The expression as written in config.
    public let expression: String

    /// Parses `expression` for `metric`; throws a message naming the gate when it cannot.
    public init(metric: String, expression: String) throws(GateSyntaxError) {
        self.metric = metric
        self.expression = expression
        var rest = Substring(expression).trimmingSpaces()
        guard let op = Comparison.allCases.sorted(by: { $0.rawValue.count > $1.rawValue.count })
            .first(where: { rest.hasPrefix($0.rawValue) })
        else { throw GateSyntaxError(metric: metric, expression: expression, reason: "must start with >=, <=, >, <, == or !=") }
        comparison = op
        rest = rest.dropFirst(op.rawValue.count).trimmingSpaces()
        if rest.hasPrefix("production") {
            rest = rest.dropFirst("production".count).trimmingSpaces()
            if rest.isEmpty {
                threshold = .production(offset: 0, isPercent: false)
                return
            }
            guard let sign = rest.first, sign == "+" || sign == "-" else {
                throw GateSyntaxError(metric: metric, expression: expression, reason: "expected '+' or '-' after 'production'")
            }
            rest = rest.dropFirst().trimmingSpaces()
            let isPercent = rest.hasSuffix("%")
            if isPercent { rest = rest.dropLast().trimmingSpaces() }
            guard let magnitude = Double(rest), magnitude.isFinite else {
                throw GateSyntaxError(metric: metric, expression: expression, reason: "'\(rest)' is not a number")
            }
            threshold = .production(offset: sign == "-" ? -magnitude : magnitude, isPercent: isPercent)
        } else {
            guard let value = Double(rest), value.isFinite else {
                throw GateSyntaxError(metric: metric, expression: expression, reason: "expected a number or 'production'")
            }
            threshold = .constant(value)
        }
    }

    /// Judges a candidate's metrics against this gate and the current production metrics.
    public func evaluate(candidate: [String: Double], production: [String: Double]?) -> GateResult {
        guard let value = candidate[metric] else {
            return GateResult(gate: self, outcome: .failed, detail: "the candidate reports no '\(metric)'")
        }
        let bound: Double
        switch threshold {
        case .constant(let constant):
            bound = constant
        case .production(let offset, let isPercent):
            guard let base = production?[metric] else {
                return GateResult(gate: self, outcome: .skipped, detail: "no production value of '\(metric)' to compare with")
            }
            bound = isPercent ? base * (1 + offset / 100) : base + offset
        }
        let passed = comparison.holds(value, bound)
        return GateResult(
            gate: self, outcome: passed ? .passed : .failed,
            detail: "\(metric) \(MetricFormat.number(value)) \(passed ? "" : "not ")\(comparison.rawValue) \(MetricFormat.number(bound))")
    }

    public var description: String { "\(metric) \(expression)" }
}

/// A gate expression that does not parse.
public struct GateSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var metric: String
    public var expression: String
    public var reason: String

    public var description: String { "gate '\(metric): \(expression)': \(reason)" }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
