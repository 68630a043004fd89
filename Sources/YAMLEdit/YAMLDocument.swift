/// One document of a YAML stream.
public struct YAMLDocument: Sendable {
    let storage: NodeStorage
    let record: DocumentRecord
    /// The document's position in the stream, counting empty and comment-only documents (as `yaml.safe_load_all` does).
    public let index: Int

    init(_ storage: NodeStorage, _ index: Int) {
        self.storage = storage
        self.record = storage.documents[index]
        self.index = index
    }

    /// The root node (a null scalar for an empty document).
    public var root: YAMLNode { YAMLNode(storage, Int(record.root)) }

    /// Whether the document has no content (`---` alone, or only comments): its root is an empty null scalar.
    public var isEmpty: Bool {
        let r = root.record
        return r.kind == .scalar && r.style == .plain && r.valueLength == 0 && r.tagStart < 0 && r.anchorStart < 0
    }

    /// From the document start (`---` or the first node) to its end.
    public var span: SourceSpan { SourceSpan(start: record.start, end: record.end) }

    /// Whether the document starts with an explicit `---`.
    public var hasExplicitStart: Bool { record.explicitStart }

    /// Every node of the document in source order (depth first, parents before children).
    public var nodes: [YAMLNode] { (Int(record.firstNode)..<Int(record.nodeEnd)).map { YAMLNode(storage, $0) } }
}
