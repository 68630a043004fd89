/// One thing wrong with an input field, named the way a caller can find it (`model`, `metrics.accuracy`,
/// `environments[0]`, or `""` for the whole input).
public struct FieldProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The field, as a dotted path into the input.
    public var field: String
    /// What is wrong with it, in words.
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { field.isEmpty ? message : "\(field): \(message)" }
}

/// A release input that broke one or more rules; every failing field is listed.
public struct InvalidRelease: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [FieldProblem]

    public init(problems: [FieldProblem]) { self.problems = problems }

    public var description: String {
        "invalid release: " + problems.map(\.description).joined(separator: "; ")
    }
}
