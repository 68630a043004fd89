/// A read-only view of one node of a parsed `YAMLStream`: a mapping (ordered key/value pairs), a sequence,
/// a scalar (value, style, tag) or an alias, with its exact source span. Cheap to copy.
public struct YAMLNode: Sendable {
    /// What kind of node this is.
    public enum Kind: UInt8, Sendable, Hashable {
        /// A scalar (`value`, `"value"`, `|` block …).
        case scalar
        /// A mapping: `entries` in source order.
        case mapping
        /// A sequence: `items` in source order.
        case sequence
        /// An alias (`*name`); `aliasTarget` is the anchored node.
        case alias
    }

    let storage: NodeStorage
    /// The node's position in the stream (stable for one parse).
    public let id: Int

    init(_ storage: NodeStorage, _ id: Int) {
        self.storage = storage
        self.id = id
    }

    var record: NodeRecord { storage.nodes[id] }

    /// The node kind.
    public var kind: Kind { record.kind }

    /// Where the node is in the source. A scalar's span covers its quotes or block header, and any anchor/tag before it.
    public var span: SourceSpan { SourceSpan(start: storage.location(start: id), end: storage.location(end: id)) }

    /// The scalar's value after YAML unquoting/folding (the alias name for an alias); `nil` for collections.
    public var scalar: String? {
        let r = record
        guard r.kind == .scalar else { return nil }
        return storage.string(start: r.valueStart, length: r.valueLength)
    }

    /// The scalar's style (`.plain` for collections).
    public var style: ScalarStyle { record.style }

    /// Whether a collection is written in flow style (`{…}`, `[…]`).
    public var isFlow: Bool { record.isFlow }

    /// Whether the node is a flow collection or sits inside one.
    public var isInFlow: Bool { record.inFlow }

    /// The explicit tag, resolved by libyaml (`tag:yaml.org,2002:str` for `!!str`), if any.
    public var tag: String? {
        let r = record
        return r.tagStart < 0 ? nil : storage.string(start: r.tagStart, length: r.tagLength)
    }

    /// The anchor (`&name`) the node defines, if any.
    public var anchor: String? {
        let r = record
        return r.anchorStart < 0 ? nil : storage.string(start: r.anchorStart, length: r.anchorLength)
    }

    /// For an alias, the anchor name it refers to.
    public var aliasName: String? {
        let r = record
        return r.kind == .alias ? storage.string(start: r.valueStart, length: r.valueLength) : nil
    }

    /// For an alias, the node its anchor names (`nil` if undefined).
    public var aliasTarget: YAMLNode? {
        let r = record
        guard r.kind == .alias, r.childStart >= 0 else { return nil }
        return YAMLNode(storage, Int(r.childStart))
    }

    /// The enclosing collection, if any.
    public var parent: YAMLNode? {
        let p = record.parent
        return p < 0 ? nil : YAMLNode(storage, Int(p))
    }

    /// A mapping's key/value pairs in source order (empty for other kinds).
    public var entries: [YAMLMappingEntry] {
        let r = record
        guard r.kind == .mapping else { return [] }
        let base = Int(r.childStart)
        return stride(from: 0, to: Int(r.childCount), by: 2).map { i in
            YAMLMappingEntry(
                key: YAMLNode(storage, Int(storage.children[base + i])),
                value: YAMLNode(storage, Int(storage.children[base + i + 1])))
        }
    }

    /// A sequence's items in source order (empty for other kinds).
    public var items: [YAMLNode] {
        let r = record
        guard r.kind == .sequence else { return [] }
        let base = Int(r.childStart)
        return (0..<Int(r.childCount)).map { YAMLNode(storage, Int(storage.children[base + $0])) }
    }

    /// The number of entries (mapping) or items (sequence); 0 for scalars and aliases.
    public var count: Int {
        let r = record
        switch r.kind {
        case .mapping: return Int(r.childCount) / 2
        case .sequence: return Int(r.childCount)
        default: return 0
        }
    }

    /// The value of the first entry whose key is a scalar equal to `key` (mappings only).
    public subscript(key: String) -> YAMLNode? {
        let r = record
        guard r.kind == .mapping else { return nil }
        let bytes = Array(key.utf8)
        let base = Int(r.childStart)
        var i = 0
        while i < Int(r.childCount) {
            let k = Int(storage.children[base + i])
            if storage.nodes[k].kind == .scalar && storage.value(of: k, equals: bytes) {
                return YAMLNode(storage, Int(storage.children[base + i + 1]))
            }
            i += 2
        }
        return nil
    }

    /// The item at `index` (sequences only).
    public subscript(index: Int) -> YAMLNode? {
        let r = record
        guard r.kind == .sequence, index >= 0, index < Int(r.childCount) else { return nil }
        return YAMLNode(storage, Int(storage.children[Int(r.childStart) + index]))
    }

    /// Whether the scalar is a YAML null: an untagged plain `~`, `null`, `Null`, `NULL` or empty value.
    public var isNull: Bool {
        let r = record
        guard r.kind == .scalar, r.style == .plain, r.tagStart < 0 else { return false }
        return ScalarResolver.resolve(plain: scalar ?? "") == .null
    }

    /// The value as YAML 1.1 (PyYAML's safe loader) would construct it, for scalars; `nil` for other kinds.
    /// Quoted, block and `!!str`-tagged scalars are strings.
    public var resolved: ResolvedScalar? {
        let r = record
        guard r.kind == .scalar, let text = scalar else { return nil }
        if let tag, tag != "tag:yaml.org,2002:str", tag != "!" {
            return ScalarResolver.resolve(plain: text, tag: tag)
        }
        if r.style != .plain || tag != nil { return .string(text) }
        return ScalarResolver.resolve(plain: text)
    }

    /// The source bytes of the node's span.
    public var sourceText: String {
        let r = record
        return String(decoding: storage.source[Int(r.startOffset)..<Int(r.endOffset)], as: UTF8.self)
    }
}

/// One key/value pair of a mapping.
public struct YAMLMappingEntry: Sendable {
    /// The key node (usually a scalar).
    public let key: YAMLNode
    /// The value node.
    public let value: YAMLNode
}
