/// The re-parse check after a splice: the edited bytes parse, and differ from the original only in the targets,
/// which now hold exactly the new strings (and, when written plain, read as strings).
///
/// Documents before the first edited one are byte-identical by construction, so the edited bytes are re-parsed
/// from the start of the first edited document to the end; the node sequence (kind, style, flow, anchor, tag,
/// child count, value) of every following document is compared one to one with the original's.
enum Verifier {
    static func verify(original: NodeStorage, edited: [UInt8], splices: [Splice], file: String?) throws(YAMLSourceError) {
        guard let first = splices.map(\.document).min() else { return }
        let doc = original.documents[first]
        let origin = first == 0 ? 0 : doc.start.offset
        func fail(_ why: String, _ at: SourceLocation? = nil) -> YAMLSourceError {
            YAMLSourceError(.verificationFailed, "refused: the edit did not verify: \(why); nothing was written", at: at, file: file)
        }
        if original.isJSON { return try verifyJSON(original: original, edited: edited, splices: splices, fail: fail) }
        let reparsed: NodeStorage
        do {
            reparsed = try EventScanner.parse(
                edited, from: origin, lineBase: doc.start.line - 1, columnBase: doc.start.column - 1)
        } catch {
            throw fail("the edited text does not parse (\(error.reason))", error.location)
        }
        guard reparsed.documents.count == original.documents.count - first else {
            throw fail("the number of documents changed")
        }
        let base = Int(doc.firstNode)
        guard reparsed.nodes.count == original.nodes.count - base else {
            throw fail("the number of nodes changed")
        }
        var targets: [Int: Splice] = [:]
        for s in splices { targets[s.node - base] = s }
        for j in 0..<reparsed.nodes.count {
            let a = original.nodes[base + j]
            let b = reparsed.nodes[j]
            let at = reparsed.location(start: j)
            guard a.kind == b.kind, a.isFlow == b.isFlow, a.childCount == b.childCount else {
                throw fail("the structure changed", at)
            }
            guard a.anchorLength == b.anchorLength, a.tagLength == b.tagLength,
                a.anchorStart < 0 || original.arena[Int(a.anchorStart)..<Int(a.anchorStart + a.anchorLength)]
                    .elementsEqual(reparsed.arena[Int(b.anchorStart)..<Int(b.anchorStart + b.anchorLength)]),
                a.tagStart < 0 || original.arena[Int(a.tagStart)..<Int(a.tagStart + a.tagLength)]
                    .elementsEqual(reparsed.arena[Int(b.tagStart)..<Int(b.tagStart + b.tagLength)])
            else { throw fail("an anchor or tag changed", at) }
            if let s = targets[j] {
                guard reparsed.value(of: j, equals: Array(s.value.utf8)) else {
                    throw fail("the target reads back as \"\(reparsed.string(start: b.valueStart, length: b.valueLength))\", not the new value", at)
                }
                if b.style == .plain && b.tagStart < 0 && !ScalarResolver.readsAsString(plain: s.value) {
                    throw fail("the new value would not read as a string", at)
                }
            } else {
                guard a.style == b.style, a.valueLength == b.valueLength,
                    original.arena[Int(a.valueStart)..<Int(a.valueStart + a.valueLength)]
                        .elementsEqual(reparsed.arena[Int(b.valueStart)..<Int(b.valueStart + b.valueLength)])
                else { throw fail("a node besides the target changed", at) }
            }
        }
    }

    /// A JSON document is checked by its JSON re-parse and by construction instead of a second libyaml parse (which
    /// alone costs as much as the edit's own parse): the whole result must be one JSON text (`JSONValidator`, a
    /// fraction of libyaml's time); each splice replaced exactly one JSON scalar token (string, number, literal) by
    /// one JSON string token, which leaves every other value as it was (JSON's grammar, and YAML's flow grammar that
    /// reads it, allow any scalar token where another stood); and each new token, re-read by libyaml on its own, must
    /// give exactly the new value. (`EditFuzzShapesTests` re-parses every accepted JSON edit in full to prove this.)
    static func verifyJSON(
        original: NodeStorage, edited: [UInt8], splices: [Splice], fail: (String, SourceLocation?) -> YAMLSourceError
    ) throws(YAMLSourceError) {
        guard JSONValidator.isJSON(edited, from: edited.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0) else {
            throw fail("the result is not one JSON text", nil)
        }
        for s in splices {
            let at = original.location(start: s.node)
            guard JSONValidator.isScalar(original.source[s.range]), JSONValidator.isScalar(s.text) else {
                throw fail("the edit would not replace one JSON value by another", at)
            }
            let token: NodeStorage
            do {
                token = try EventScanner.parse(Array("[".utf8) + s.text + Array("]".utf8))
            } catch {
                throw fail("the new JSON value does not parse (\(error.reason))", at)
            }
            guard token.nodes.count == 2, token.nodes[1].kind == .scalar, token.value(of: 1, equals: Array(s.value.utf8)) else {
                throw fail("the new JSON value does not read back as the new value", at)
            }
        }
    }
}
