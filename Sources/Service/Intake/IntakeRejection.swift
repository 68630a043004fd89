public import Promotion

/// Why an intake request is refused, with the HTTP status it maps to (RFC 9457 problem details name the fields).
public struct IntakeRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// 400 malformed, 413 too large, 415 unsupported media type, 422 rule broken.
    public var status: Int
    public var title: String
    public var problems: [FieldProblem]

    public init(status: Int, title: String, problems: [FieldProblem] = []) {
        self.status = status
        self.title = title
        self.problems = problems
    }

    public var description: String {
        problems.isEmpty ? "\(status) \(title)" : "\(status) \(title): " + problems.map(\.description).joined(separator: "; ")
    }
}
