public import YAMLEdit

/// One place in a manifest file where a model version lives.
public struct ModelLocation: Sendable {
    /// The document index (as `yaml.safe_load_all` counts, empty documents included).
    public var document: Int
    /// The document's `apiVersion`, if any.
    public var apiVersion: String?
    /// The document's `kind`, if any (nil for Helm values files).
    public var kind: String?
    /// The document's `metadata.name`, if any.
    public var name: String?
    /// The path, with `[name=…]` selectors where every item of a list is a mapping with a unique string `name`.
    public var path: YAMLPath
    /// The same location with `[N]` indexes only.
    public var indexPath: YAMLPath
    /// What the location holds.
    public var type: ModelLocationType
    /// The value as PyYAML constructs it (a string, or `.null` for an empty `key:`).
    public var value: ResolvedScalar
    /// The scalar's style in the source.
    public var style: ScalarStyle
    /// The scalar's position (1-based line and column).
    public var location: SourceLocation
    /// The `name`s of the mappings the path passes through, outermost first (predictor, graph nodes,
    /// containers, kustomize image name…); used to find the location named after a model.
    public var names: [String]

    /// The value as text (`nil` for null).
    public var text: String? {
        switch value {
        case .null: return nil
        case .string(let s), .timestamp(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let f): return String(f)
        }
    }
}
