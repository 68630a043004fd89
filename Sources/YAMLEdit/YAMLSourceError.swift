/// Why a YAML source could not be read, or why an edit of it was refused. Nothing is ever written when this is thrown.
///
/// The description names the file (when known), the line and column, and the reason:
/// `environments/production/jukebox.yaml:12:7: refused: the target is an anchor (&uri) that aliases elsewhere read`.
public struct YAMLSourceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A broad classification of the problem, stable for callers to match on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable {
            case invalidYAML = "invalid YAML"
            case unsupportedEncoding = "unsupported encoding"
            case helmTemplate = "Helm template"
            case nonScalarKey = "non-scalar key"
            case duplicateKey = "duplicate key"
            case invalidPath = "invalid path"
            case pathNotFound = "path not found"
            case ambiguousPath = "ambiguous path"
            case notAScalar = "not a scalar"
            case aliasedTarget = "aliased target"
            case anchoredTarget = "anchored target"
            case taggedTarget = "tagged target"
            case unsupportedTarget = "unsupported target"
            case documentOutOfRange = "no such document"
            case conflictingEdits = "conflicting edits"
            case verificationFailed = "verification failed"
            case nestingTooDeep = "nesting too deep"
        }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// libyaml rejected the bytes (its problem and position are in the message).
        public static let invalidYAML = Code(.invalidYAML)
        /// The bytes are not UTF-8 (UTF-16 input, for instance).
        public static let unsupportedEncoding = Code(.unsupportedEncoding)
        /// The file is a Helm template (`{{ … }}` actions where YAML expects a value or a line), not a manifest.
        public static let helmTemplate = Code(.helmTemplate)
        /// A mapping key is a mapping or a sequence.
        public static let nonScalarKey = Code(.nonScalarKey)
        /// A mapping holds the same key twice.
        public static let duplicateKey = Code(.duplicateKey)
        /// The path text does not follow the path syntax.
        public static let invalidPath = Code(.invalidPath)
        /// The path does not resolve.
        public static let pathNotFound = Code(.pathNotFound)
        /// The path resolves in several documents, or a selector matches several items.
        public static let ambiguousPath = Code(.ambiguousPath)
        /// The path resolves to a mapping or a sequence.
        public static let notAScalar = Code(.notAScalar)
        /// The path resolves to, or through, an alias (`*name`).
        public static let aliasedTarget = Code(.aliasedTarget)
        /// The target carries an anchor (`&name`): aliases elsewhere would change with it.
        public static let anchoredTarget = Code(.anchoredTarget)
        /// The target carries a tag other than `!!str`.
        public static let taggedTarget = Code(.taggedTarget)
        /// The target is a form the editor does not rewrite (an implicit empty value of a `? key`).
        public static let unsupportedTarget = Code(.unsupportedTarget)
        /// `--document N` names a document the stream does not have.
        public static let documentOutOfRange = Code(.documentOutOfRange)
        /// Two edits of one call target the same scalar.
        public static let conflictingEdits = Code(.conflictingEdits)
        /// Collections nest deeper than the editor accepts (1000 levels, 128 of flow collections).
        public static let nestingTooDeep = Code(.nestingTooDeep)
        /// The re-parse after the splice found a change besides the targets (never expected; nothing is written).
        public static let verificationFailed = Code(.verificationFailed)

        /// A short name of the code.
        public var description: String { wrapped.rawValue }
    }

    /// The classification.
    public var code: Code
    /// What went wrong, in words.
    public var reason: String
    /// The file the bytes came from, when the caller said.
    public var file: String?
    /// Where in the source, when known.
    public var location: SourceLocation?

    /// Creates an error.
    public init(_ code: Code, _ reason: String, at location: SourceLocation? = nil, file: String? = nil) {
        self.code = code
        self.reason = reason
        self.location = location
        self.file = file
    }

    /// `file:line:column: reason` (parts that are unknown are left out).
    public var description: String {
        var prefix = file ?? "<input>"
        if let location { prefix += ":\(location.line):\(location.column)" }
        return "\(prefix): \(reason)"
    }

    /// The same error, attributed to `file`.
    public func inFile(_ file: String?) -> YAMLSourceError {
        var copy = self
        copy.file = file
        return copy
    }
}
