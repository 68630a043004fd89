public import YAMLEdit

/// Why no single location could be chosen for a model in a file.
public struct ModelTargetError: Error, Sendable, CustomStringConvertible {
    /// The classification.
    public enum Code: Sendable, Hashable {
        /// The file has no location of the kind the change needs.
        case noLocation
        /// Several locations fit and none is named after the model: configure `field:`.
        case ambiguous
        /// The configured `field:` does not resolve to an editable scalar.
        case field
    }

    /// The classification.
    public var code: Code
    /// The reason, naming the candidates where there are several.
    public var reason: String
    /// The candidates considered (for `.ambiguous`).
    public var candidates: [ModelLocation]
    /// The editor's error (for `.field`).
    public var cause: YAMLSourceError?

    /// Creates an error.
    public init(_ code: Code, _ reason: String, candidates: [ModelLocation] = [], cause: YAMLSourceError? = nil) {
        self.code = code
        self.reason = reason
        self.candidates = candidates
        self.cause = cause
    }

    /// The reason.
    public var description: String { reason }
}
