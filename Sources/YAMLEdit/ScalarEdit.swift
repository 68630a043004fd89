/// One change of an edit: set the scalar at `path` to the string `value`.
public struct ScalarEdit: Sendable, Hashable {
    /// Where the scalar is.
    public var path: YAMLPath
    /// The new value. It is always written so that YAML reads it back as this exact string.
    public var value: String
    /// The document index (as counted by `yaml.safe_load_all`), or nil to require that the path resolves in
    /// exactly one document.
    public var document: Int?

    /// Creates an edit.
    public init(path: YAMLPath, value: String, document: Int? = nil) {
        self.path = path
        self.value = value
        self.document = document
    }
}

/// Where an edit's path resolved.
public struct ResolvedTarget: Sendable {
    /// The document index.
    public let document: Int
    /// The target node.
    public let node: YAMLNode
}
