extension YAMLDocument {
    /// The node at `path`, or why there is none.
    /// - Throws: `.pathNotFound` (naming the step that failed and the line of the node it was looked up in),
    ///   `.ambiguousPath` (a selector matching several items), `.duplicateKey`, `.aliasedTarget` (the path runs
    ///   through an alias).
    public func node(at path: YAMLPath) throws(YAMLSourceError) -> YAMLNode {
        let r = resolve(path)
        if let node = r.node { return node }
        throw r.error ?? YAMLSourceError(.pathNotFound, "\"\(path)\" not found")
    }

    /// Like `node(at:)`, also returning how many steps resolved (used to pick the most useful error).
    func resolve(_ path: YAMLPath) -> (node: YAMLNode?, error: YAMLSourceError?, depth: Int) {
        var current = root
        var walked = YAMLPath([])
        for (depth, component) in path.components.enumerated() {
            func failure(_ code: YAMLSourceError.Code, _ why: String) -> (YAMLNode?, YAMLSourceError?, Int) {
                let at = walked.components.isEmpty ? "the document root" : "\"\(walked)\""
                return (nil, YAMLSourceError(code, "\(why) (path \"\(path)\", at \(at))", at: current.span.start), depth)
            }
            if current.kind == .alias {
                return failure(.aliasedTarget, "refused: the path runs through the alias *\(current.aliasName ?? "")")
            }
            switch component {
            case .key(let key):
                guard current.kind == .mapping else {
                    return failure(.pathNotFound, "no key \"\(key)\": \(describe(current)) is not a mapping")
                }
                let bytes = Array(key.utf8)
                var found: [YAMLNode] = []
                for entry in current.entries
                where entry.key.kind == .scalar && storage.value(of: entry.key.id, equals: bytes) {
                    found.append(entry.value)
                }
                if found.count > 1 {
                    return failure(.duplicateKey, "refused: the key \"\(key)\" appears \(found.count) times in one mapping")
                }
                guard let next = found.first else {
                    if current.entries.contains(where: { $0.key.scalar == "<<" }) {
                        return failure(
                            .pathNotFound, "no key \"\(key)\" in the mapping (it may come from a merge key <<; edit the anchored source)")
                    }
                    return failure(.pathNotFound, "no key \"\(key)\" in the mapping")
                }
                current = next
            case .index(let n):
                guard current.kind == .sequence else {
                    return failure(.pathNotFound, "no item [\(n)]: \(describe(current)) is not a sequence")
                }
                guard let next = current[n] else {
                    return failure(.pathNotFound, "no item [\(n)]: the sequence has \(current.count) items")
                }
                current = next
            case .select(let key, let value):
                guard current.kind == .sequence else {
                    return failure(.pathNotFound, "no item [\(key)=\(value)]: \(describe(current)) is not a sequence")
                }
                let matches = current.items.filter { item in
                    guard item.kind == .mapping, let v = item[key], v.kind == .scalar else { return false }
                    return v.scalar == value
                }
                if matches.count > 1 {
                    return failure(.ambiguousPath, "refused: [\(key)=\(value)] matches \(matches.count) items")
                }
                guard let next = matches.first else {
                    return failure(.pathNotFound, "no item with \(key)=\(value) in the sequence")
                }
                current = next
            }
            walked.components.append(component)
        }
        return (current, nil, path.components.count)
    }

    private func describe(_ node: YAMLNode) -> String {
        switch node.kind {
        case .scalar: return "the scalar \"\(node.scalar ?? "")\""
        case .mapping: return "the mapping"
        case .sequence: return "the sequence"
        case .alias: return "the alias *\(node.aliasName ?? "")"
        }
    }
}
