extension YAMLStream {
    /// Resolves `path` to one node: in document `document`, or in the one document where it resolves.
    /// - Throws: `.documentOutOfRange`, `.ambiguousPath` (resolves in several documents: name one), or the
    ///   lookup error of the document that got furthest.
    public func locate(_ path: YAMLPath, document: Int? = nil) throws(YAMLSourceError) -> ResolvedTarget {
        do throws(YAMLSourceError) {
            if let document {
                guard document >= 0 && document < documentCount else {
                    throw YAMLSourceError(
                        .documentOutOfRange,
                        "refused: there is no document \(document) (the file has \(documentCount) document\(documentCount == 1 ? "" : "s"), counted from 0)")
                }
                return ResolvedTarget(document: document, node: try documents[document].node(at: path))
            }
            var found: [ResolvedTarget] = []
            var best: (error: YAMLSourceError, depth: Int)?
            for doc in documents {
                let r = doc.resolve(path)
                if let node = r.node {
                    found.append(ResolvedTarget(document: doc.index, node: node))
                } else if let error = r.error, best == nil || r.depth > best!.depth {
                    best = (error, r.depth)
                }
            }
            if found.count > 1 {
                let list = found.map { "\($0.document) (line \($0.node.span.start.line))" }.joined(separator: ", ")
                throw YAMLSourceError(
                    .ambiguousPath, "refused: \"\(path)\" resolves in documents \(list); choose one with --document N",
                    at: found[0].node.span.start)
            }
            if let one = found.first { return one }
            if let best { throw best.error }
            throw YAMLSourceError(.pathNotFound, "\"\(path)\" not found: the file has no documents")
        } catch {
            throw error.inFile(file)
        }
    }

    /// Refuses streams the editor must not touch: Helm templates and non-scalar mapping keys.
    public func checkEditable() throws(YAMLSourceError) {
        do {
            try TemplateDetector.check(self)
        } catch {
            throw error.inFile(file)
        }
    }

    /// Sets the scalar at `path` to the string `value`. See `setting(_:)`.
    public func setting(_ path: YAMLPath, to value: String, document: Int? = nil) throws(YAMLSourceError) -> [UInt8] {
        try setting([ScalarEdit(path: path, value: value, document: document)])
    }

    /// Applies `edits` and returns the new bytes (see `apply(_:)`).
    public func setting(_ edits: [ScalarEdit]) throws(YAMLSourceError) -> [UInt8] {
        try apply(edits).bytes
    }

    /// Applies `edits` as one change: every path is resolved in this one parse, the edits are checked together and
    /// spliced at once. Only the bytes of the target scalars change (every comment, key order, indentation, line
    /// ending, BOM and other document stays byte-identical); the result is re-parsed and checked to differ from the
    /// original only in the targets, which read back as the new strings. A target that already reads as its new
    /// string is left alone (an edit of nothing but such targets returns the original bytes).
    /// - Throws: `YAMLSourceError` refusals (nothing is produced): Helm templates, non-scalar keys, unresolved or
    ///   ambiguous paths, non-scalar or tagged targets, a target that an alias repeats elsewhere, two edits of one
    ///   scalar, or a failed verification.
    public func apply(_ edits: [ScalarEdit]) throws(YAMLSourceError) -> EditOutcome {
        if !checkedForEditing { try checkEditable() }
        var splices: [Splice] = []
        var previous: [String?] = []
        var seen: [Int: YAMLPath] = [:]
        var exposures: [Int: AliasExposure] = [:]
        for edit in edits {
            let target = try locate(edit.path, document: edit.document)
            let node = target.node
            if let other = seen[node.id] {
                throw YAMLSourceError(
                    .conflictingEdits, "refused: \"\(edit.path)\" and \"\(other)\" are the same scalar; set it once",
                    at: node.span.start, file: file)
            }
            seen[node.id] = edit.path
            previous.append(node.scalar)
            if node.kind == .scalar && node.resolved == .string(edit.value) { continue }
            let exposure = exposures[target.document] ?? AliasExposure(storage: storage, document: target.document)
            exposures[target.document] = exposure
            splices.append(try Splice.make(for: target, value: edit.value, in: storage, path: edit.path, exposure: exposure, file: file))
        }
        if splices.isEmpty { return EditOutcome(bytes: storage.source, previousValues: previous, changed: false) }
        splices.sort { $0.range.lowerBound < $1.range.lowerBound }
        var out: [UInt8] = []
        out.reserveCapacity(storage.source.count + splices.reduce(0) { $0 + $1.text.count })
        var cursor = 0
        for s in splices {
            guard s.range.lowerBound >= cursor else {
                throw YAMLSourceError(.conflictingEdits, "refused: two edits overlap", file: file)
            }
            out.append(contentsOf: storage.source[cursor..<s.range.lowerBound])
            out.append(contentsOf: s.text)
            cursor = s.range.upperBound
        }
        out.append(contentsOf: storage.source[cursor...])
        try Verifier.verify(original: storage, edited: out, splices: splices, file: file)
        return EditOutcome(bytes: out, previousValues: previous, changed: true)
    }
}
