/// The flat, immutable representation of a parsed stream that `YAMLNode` views read from.
/// Offsets and lengths are `Int32`: inputs are limited to 2 GiB.
struct NodeRecord: Sendable {
    var kind: YAMLNode.Kind
    /// For scalars, the `ScalarStyle`; for collections, whether they are written in flow style.
    var style: ScalarStyle = .plain
    var isFlow = false
    var startOffset: Int32 = 0
    var endOffset: Int32 = 0
    var startLine: Int32 = 0
    var startColumn: Int32 = 0
    var endLine: Int32 = 0
    var endColumn: Int32 = 0
    /// Scalar value (or alias name) in the arena.
    var valueStart: Int32 = 0
    var valueLength: Int32 = 0
    var anchorStart: Int32 = -1
    var anchorLength: Int32 = 0
    var tagStart: Int32 = -1
    var tagLength: Int32 = 0
    /// Collections: range in `children` (mappings alternate key, value). Aliases: `childStart` is the anchored node or -1.
    var childStart: Int32 = 0
    var childCount: Int32 = 0
    var parent: Int32 = -1
    /// Whether the node is a flow collection or sits inside one.
    var inFlow = false
}

/// One document of the stream.
struct DocumentRecord: Sendable {
    var root: Int32 = -1
    var start: SourceLocation
    var end: SourceLocation
    var explicitStart: Bool
    var explicitEnd = false
    /// The first node id of this document (nodes of a document are contiguous).
    var firstNode: Int32
    var nodeEnd: Int32 = 0
}

/// Everything a parse produced. Immutable after construction, so safe to share.
final class NodeStorage: Sendable {
    let source: [UInt8]
    let nodes: [NodeRecord]
    let children: [Int32]
    let arena: [UInt8]
    let documents: [DocumentRecord]
    let duplicateKeys: [DuplicateKey]
    /// Whether the bytes are one JSON value (RFC 8259) whose first non-space byte is `{` or `[`: such a stream is
    /// edited as JSON (tabs allowed, every new value double-quoted with JSON escapes).
    let isJSON: Bool

    init(
        source: [UInt8], nodes: [NodeRecord], children: [Int32], arena: [UInt8], documents: [DocumentRecord],
        duplicateKeys: [DuplicateKey], isJSON: Bool
    ) {
        self.isJSON = isJSON
        self.source = source
        self.nodes = nodes
        self.children = children
        self.arena = arena
        self.documents = documents
        self.duplicateKeys = duplicateKeys
    }

    func string(start: Int32, length: Int32) -> String {
        arena.withUnsafeBufferPointer { buf in
            String(decoding: UnsafeBufferPointer(rebasing: buf[Int(start)..<Int(start + length)]), as: UTF8.self)
        }
    }

    /// Whether the scalar value of node `id` equals `bytes`.
    func value(of id: Int, equals bytes: some Collection<UInt8>) -> Bool {
        let n = nodes[id]
        guard Int(n.valueLength) == bytes.count else { return false }
        return arena[Int(n.valueStart)..<Int(n.valueStart + n.valueLength)].elementsEqual(bytes)
    }

    func valuesEqual(_ a: Int, _ b: Int) -> Bool {
        let x = nodes[a]
        let y = nodes[b]
        guard x.valueLength == y.valueLength else { return false }
        return arena[Int(x.valueStart)..<Int(x.valueStart + x.valueLength)]
            .elementsEqual(arena[Int(y.valueStart)..<Int(y.valueStart + y.valueLength)])
    }

    func location(start id: Int) -> SourceLocation {
        let n = nodes[id]
        return SourceLocation(offset: Int(n.startOffset), line: Int(n.startLine), column: Int(n.startColumn))
    }

    func location(end id: Int) -> SourceLocation {
        let n = nodes[id]
        return SourceLocation(offset: Int(n.endOffset), line: Int(n.endLine), column: Int(n.endColumn))
    }
}
