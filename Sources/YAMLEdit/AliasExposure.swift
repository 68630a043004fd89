/// Where else a node's value shows through aliases: an alias of the node itself or of an anchored collection around
/// it repeats it, unless the alias is merged (`<<: *base`, `<<: [*a, *b]`) into a mapping that overrides the key
/// leading to the node (its own key, or an earlier mapping of the merge list that has the key).
///
/// One pass over the document collects every alias by the node it names; then each question walks the target's
/// ancestors once, so the cost is linear in the document and the nesting depth.
struct AliasExposure {
    /// Where a change would also show.
    struct Exposure {
        /// The anchor whose alias repeats the node.
        let anchor: String
        /// Where the alias is.
        let alias: YAMLPath
        /// Whether the alias is merged (`<<`) into a mapping.
        let merged: Bool
        /// The path that would read the changed value too.
        let shownAt: YAMLPath
        /// Whether the anchor is on the node itself (not on a collection around it).
        let onNode: Bool
    }

    let storage: NodeStorage
    private let aliases: [Int32: [Int32]]

    init(storage: NodeStorage, document: Int) {
        self.storage = storage
        let doc = storage.documents[document]
        var aliases: [Int32: [Int32]] = [:]
        for id in Int(doc.firstNode)..<Int(doc.nodeEnd) where storage.nodes[id].kind == .alias {
            let target = storage.nodes[id].childStart
            if target >= 0 { aliases[target, default: []].append(Int32(id)) }
        }
        self.aliases = aliases
    }

    /// The first other place where a change of node `id` would show, or nil when no alias repeats it.
    func exposure(of id: Int) -> Exposure? {
        guard !aliases.isEmpty else { return nil }
        var chain: [Int] = [id]
        while let p = parent(chain[chain.count - 1]) { chain.append(p) }
        guard chain.contains(where: { aliases[Int32($0)] != nil }) else { return nil }
        // rel[k]: the path from chain[k] down to the target.
        var rel: [YAMLPath.Component] = []
        for (k, n) in chain.enumerated() {
            if k > 0 { rel.insert(component(of: chain[k - 1], in: n), at: 0) }
            for alias in aliases[Int32(n)] ?? [] {
                if let shown = shown(through: Int(alias), rel) {
                    let name = storage.string(start: storage.nodes[n].anchorStart, length: storage.nodes[n].anchorLength)
                    return Exposure(anchor: name, alias: path(to: Int(alias)), merged: shown.merged, shownAt: shown.path, onNode: k == 0)
                }
            }
        }
        return nil
    }

    /// Where the node at `rel` under the aliased node shows through `alias`, or nil when a merge overrides it.
    private func shown(through alias: Int, _ rel: [YAMLPath.Component]) -> (path: YAMLPath, merged: Bool)? {
        guard let p = parent(alias) else { return (rel.isEmpty ? path(to: alias) : YAMLPath(rel), false) }
        var merging: (mapping: Int, earlier: [Int])?
        if isMergeValue(alias, of: p) {
            merging = (p, [])
        } else if storage.nodes[p].kind == .sequence, let q = parent(p), isMergeValue(p, of: q) {
            let items = children(p)
            merging = (q, Array(items.prefix { $0 != alias }))
        }
        guard let (mapping, earlier) = merging else {
            return (YAMLPath(path(to: alias).components + rel), false)
        }
        if case .key(let key)? = rel.first {
            if hasKey(mapping, key) { return nil }
            for item in earlier {
                let source = storage.nodes[item].kind == .alias ? Int(storage.nodes[item].childStart) : item
                if source >= 0 && hasKey(source, key) { return nil }
            }
        }
        return (YAMLPath(path(to: mapping).components + rel), true)
    }

    /// Whether `node` is the value of a merge key (`<<`) of `mapping`.
    private func isMergeValue(_ node: Int, of mapping: Int) -> Bool {
        guard storage.nodes[mapping].kind == .mapping else { return false }
        let c = children(mapping)
        for i in stride(from: 1, to: c.count, by: 2) where c[i] == node {
            let key = storage.nodes[c[i - 1]]
            return key.kind == .scalar && key.style == .plain && storage.value(of: c[i - 1], equals: Array("<<".utf8))
        }
        return false
    }

    /// Whether `mapping` has its own key `key` (not through a merge).
    private func hasKey(_ mapping: Int, _ key: String) -> Bool {
        guard storage.nodes[mapping].kind == .mapping else { return false }
        let bytes = Array(key.utf8)
        let c = children(mapping)
        return stride(from: 0, to: c.count, by: 2).contains { storage.nodes[c[$0]].kind == .scalar && storage.value(of: c[$0], equals: bytes) }
    }

    private func parent(_ id: Int) -> Int? {
        let p = storage.nodes[id].parent
        return p < 0 ? nil : Int(p)
    }

    private func children(_ id: Int) -> [Int] {
        let n = storage.nodes[id]
        return (Int(n.childStart)..<Int(n.childStart + n.childCount)).map { Int(storage.children[$0]) }
    }

    /// The step from `parent` to its child `id`.
    private func component(of id: Int, in parent: Int) -> YAMLPath.Component {
        let c = children(parent)
        if storage.nodes[parent].kind == .sequence { return .index(c.firstIndex(of: id) ?? 0) }
        for i in stride(from: 1, to: c.count, by: 2) where c[i] == id {
            let key = storage.nodes[c[i - 1]]
            return .key(key.kind == .scalar ? storage.string(start: key.valueStart, length: key.valueLength) : "?")
        }
        return .key("?")
    }

    /// The path from the document root to node `id`.
    func path(to id: Int) -> YAMLPath {
        var components: [YAMLPath.Component] = []
        var n = id
        while let p = parent(n) {
            components.append(component(of: n, in: p))
            n = p
        }
        return YAMLPath(components.reversed())
    }
}
