import Foundation
import TestSupport
import Testing
import YAMLEdit

/// A seeded random mutation test: corpus files with random byte mutations, and random new values, fed to the
/// parser and the editor. Never a crash; and every edit the editor accepts passes an independent full re-parse
/// check here (all documents, every node) plus a byte check that only the target's region changed.
@Suite struct EditFuzzTests {
    /// SplitMix64: deterministic, so a failure reproduces.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    }

    static let significant: [UInt8] = Array(" \t\n\r-:?#&*!|>'\"%@`,[]{}.0aé\u{7F}".utf8)
    static let values = [
        "gs://models/jukebox/1.4.2", "1.10", "yes", "null", "0o17", "a: b", "x #y", "*s", "&a", "-d", "!t", "%p", "@x",
        "", "multi\nline", "trailing\n", "it's", "q\"uote", "back\\slash", "ünï ✓", "{b}", "[x, y]", "~", "tab\tx",
        " lead", "trail ", "---", "...", "1e3", "0x1F", "2024-01-02", "\u{85}nel", "\u{2028}", "ctl\u{01}", "😀",
        ": x", "? q", "a,b", "#", "- x", "=", "<<", "y", "N",
    ]

    /// A JSON string literal for `text`.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for u in text.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    /// The path to `node` in the contract syntax, if every step can be spelled (with `quoting`, keys that need
    /// quotes too).
    static func path(to node: YAMLNode, quoting: Bool = false) -> YAMLPath? {
        var components: [YAMLPath.Component] = []
        var current = node
        while let parent = current.parent {
            switch parent.kind {
            case .mapping:
                guard let entry = parent.entries.first(where: { $0.value.id == current.id }),
                    let key = entry.key.scalar, entry.key.kind == .scalar,
                    quoting || (!key.isEmpty && !key.contains(".") && !key.contains("[") && !key.contains("]"))
                else { return nil }
                components.append(.key(key))
            case .sequence:
                guard let i = parent.items.firstIndex(where: { $0.id == current.id }) else { return nil }
                components.append(.index(i))
            default:
                return nil
            }
            current = parent
        }
        return components.isEmpty ? nil : YAMLPath(components.reversed())
    }

    static func corpus() throws -> [[UInt8]] {
        var files = try YAMLFixtures.specFiles().map { try YAMLFixtures.bytes("specs/\($0)") }
        let suite = YAMLFixtures.yamlTestSuite.path
        for id in (try FileManager.default.contentsOfDirectory(atPath: suite)).sorted() where id.count == 4 {
            if let data = FileManager.default.contents(atPath: "\(suite)/\(id)/in.yaml") { files.append([UInt8](data)) }
        }
        return files
    }

    func mutate(_ bytes: [UInt8], _ rng: inout Random) -> [UInt8] {
        var b = bytes
        for _ in 0..<rng.below(4) {
            let at = rng.below(b.count + 1)
            switch rng.below(5) {
            case 0: b.insert(Self.significant[rng.below(Self.significant.count)], at: at)
            case 1: if at < b.count { b.remove(at: at) }
            case 2: if at < b.count { b[at] = Self.significant[rng.below(Self.significant.count)] }
            case 3:  // duplicate a line
                if let nl = b[at...].firstIndex(of: 0x0A) {
                    let start = b[..<at].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
                    b.insert(contentsOf: b[start...nl], at: start)
                }
            default: b.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: 0)
            }
        }
        return b
    }

    @Test func mutatedInputsNeverCrashAndAcceptedEditsVerify() throws {
        let corpus = try Self.corpus()
        var rng = Random(state: 20261123)
        var accepted = 0
        var refused = 0
        var reasons: [String: Int] = [:]
        for _ in 0..<6000 {
            let original = corpus[rng.below(corpus.count)]
            let bytes = rng.below(3) == 0 ? original : mutate(original, &rng)
            guard let stream = try? YAMLStream(bytes: bytes) else { continue }
            let scalars = stream.documents.flatMap(\.nodes).filter { $0.kind == .scalar && $0.parent != nil }
            guard !scalars.isEmpty else { continue }
            let target = scalars[rng.below(scalars.count)]
            guard let path = Self.path(to: target) else { continue }
            let document = stream.documents.firstIndex { $0.nodes.contains { $0.id == target.id } }
            let value = rng.below(4) == 0 ? String(decoding: (0..<rng.below(12)).map { _ in Self.significant[rng.below(Self.significant.count)] }, as: UTF8.self) : Self.values[rng.below(Self.values.count)]
            let edited: [UInt8]
            do {
                edited = try YAMLStream.edit(bytes: bytes, [ScalarEdit(path: path, value: value, document: document)])
            } catch {
                refused += 1
                #expect(!error.description.isEmpty)
                // The renderer always produces text that verifies: a verification refusal is a bug.
                #expect(error.code != .verificationFailed, "\(error) for \(value.debugDescription) at \(path)")
                reasons[error.code.description, default: 0] += 1
                continue
            }
            accepted += 1
            try Self.independentCheck(before: stream, after: edited, target: target, value: value)
        }
        #expect(accepted > 1000, "accepted \(accepted), refused \(refused) \(reasons)")
    }

    /// Full re-parse of the edited bytes; every node of every document equal to the original except the target;
    /// the bytes before and after the target's line range identical.
    static func independentCheck(before: YAMLStream, after: [UInt8], target: YAMLNode, value: String) throws {
        try independentCheck(before: before, after: after, targets: [(target, value)])
        let src = before.bytes
        let span = target.span
        var lineStart = span.start.offset
        while lineStart > 0 && src[lineStart - 1] != 0x0A { lineStart -= 1 }
        #expect(after.starts(with: src[..<lineStart]))
        var lineEnd = span.end.offset
        while lineEnd < src.count && src[lineEnd] != 0x0A { lineEnd += 1 }
        let tail = src[lineEnd...]
        #expect(after.count >= tail.count && after.suffix(tail.count).elementsEqual(tail))
    }

    /// Full re-parse of the edited bytes; every node of every document equal to the original except the targets,
    /// which read back as their new values; the bytes before the first target and after the last identical.
    static func independentCheck(before: YAMLStream, after: [UInt8], targets: [(YAMLNode, String)]) throws {
        let reparsed = try YAMLStream(bytes: after)
        let values = Dictionary(targets.map { ($0.0.id, $0.1) }, uniquingKeysWith: { a, _ in a })
        let a = before.documents.flatMap(\.nodes)
        let b = reparsed.documents.flatMap(\.nodes)
        try #require(a.count == b.count && before.documentCount == reparsed.documentCount)
        for (x, y) in zip(a, b) {
            #expect(x.kind == y.kind && x.count == y.count && x.anchor == y.anchor && x.tag == y.tag && x.isFlow == y.isFlow)
            if let value = values[x.id] {
                #expect(y.scalar == value)
                if y.style == .plain && y.tag == nil { #expect(ScalarResolver.resolve(plain: value).isString) }
            } else {
                #expect(x.scalar == y.scalar && x.style == y.style && x.aliasName == y.aliasName)
            }
        }
        let src = before.bytes
        let first = targets.map { $0.0.span.start.offset }.min() ?? 0
        let last = targets.map { $0.0.span.end.offset }.max() ?? src.count
        #expect(after.starts(with: src[..<first]))
        let tail = src[last...]
        #expect(after.count >= tail.count && after.suffix(tail.count).elementsEqual(tail))
    }
}
