import Foundation
import Testing
import YAMLEdit

/// The fuzz target extended to the shapes other tools meet: JSON documents (tabs, minified, CRLF), YAML flow roots,
/// merge keys and anchors, keys that need quoting in a path, several edits at once, and nesting around the depth
/// limits. Seeded, so a failure reproduces. Never a crash; no verification refusal; every accepted edit passes an
/// independent check: the node-by-node re-parse of `EditFuzzTests`, the resolved tree (aliases and merge keys
/// expanded, as a loader sees it) equal to the original with only the targets set, and JSON output still JSON.
@Suite struct EditFuzzShapesTests {
    typealias Random = EditFuzzTests.Random

    // MARK: Generators

    static let keys = ["a", "image", "tag", "image.tag", "serving.kserve.io/deploymentMode", "q\"uote", "back\\slash",
                       "[0]", "k=v", "<<x", "ä", "with space", "name"]
    static let scalars = ["x", "1.0.0", "gs://m/1", "yes", "12", "a b", "ghcr.io/org/app", "é", "", "null", "-1"]

    /// A random JSON value written with `indent` ("" for minified), `newline` between lines.
    static func json(_ rng: inout Random, depth: Int, indent: String, newline: String, level: Int = 0) -> String {
        let pad = indent.isEmpty ? "" : newline + String(repeating: indent, count: level + 1)
        let close = indent.isEmpty ? "" : newline + String(repeating: indent, count: level)
        if depth == 0 || rng.below(4) == 0 {
            switch rng.below(5) {
            case 0: return String(rng.below(1000))
            case 1: return ["true", "false", "null"][rng.below(3)]
            default: return EditFuzzTests.jsonString(scalars[rng.below(scalars.count)])
            }
        }
        let count = rng.below(4)
        if count == 0 { return rng.below(2) == 0 ? "{}" : "[]" }
        if rng.below(2) == 0 {
            let items = (0..<count).map { _ in pad + json(&rng, depth: depth - 1, indent: indent, newline: newline, level: level + 1) }
            return "[" + items.joined(separator: ",") + close + "]"
        }
        var used = Set<String>()
        var items: [String] = []
        for _ in 0..<count {
            let key = keys[rng.below(keys.count)]
            guard used.insert(key).inserted else { continue }
            let sep = indent.isEmpty ? ":" : ": "
            items.append(pad + EditFuzzTests.jsonString(key) + sep + json(&rng, depth: depth - 1, indent: indent, newline: newline, level: level + 1))
        }
        return "{" + items.joined(separator: ",") + close + "}"
    }

    /// A YAML document with anchors, aliases and merge keys (single or list form, with and without overrides).
    static func merged(_ rng: inout Random) -> String {
        var out = "defaults:\n"
        let anchors = (0..<1 + rng.below(3)).map { "base\($0)" }
        for anchor in anchors {
            out += "  \(anchor): &\(anchor)\n"
            for key in ["repository", "tag", "pullPolicy"] where rng.below(3) != 0 {
                out += "    \(key): \(scalars[rng.below(scalars.count)].isEmpty ? "v" : "v\(rng.below(9))")\n"
            }
            out += "    nested: &\(anchor)-n {tag: n\(rng.below(9)), x: y}\n"
        }
        out += "apps:\n"
        for i in 0..<rng.below(4) {
            out += "  app\(i):\n"
            switch rng.below(3) {
            case 0: out += "    <<: *\(anchors[rng.below(anchors.count)])\n"
            case 1: out += "    <<: [" + anchors.shuffled(&rng).map { "*\($0)" }.joined(separator: ", ") + "]\n"
            default: out += "    copy: *\(anchors[rng.below(anchors.count)])\n"
            }
            for key in ["tag", "repository", "nested"] where rng.below(2) == 0 {
                out += key == "nested" ? "    nested: {tag: own}\n" : "    \(key): own\(i)\n"
            }
        }
        if rng.below(2) == 0 { out += "alone: &lonely value\n" }
        if rng.below(3) == 0 { out += "also: *\(anchors[0])-n\n" }
        return out
    }

    /// A YAML document whose root is a flow collection.
    static func flowRoot(_ rng: inout Random, depth: Int) -> String {
        if depth == 0 || rng.below(3) == 0 {
            let plain = ["apple", "frog", "'quoted'", "\"dq\"", "1", "a b", "x/y"]
            return plain[rng.below(plain.count)]
        }
        if rng.below(2) == 0 {
            return "[" + (0..<1 + rng.below(3)).map { _ in flowRoot(&rng, depth: depth - 1) }.joined(separator: ", ") + "]"
        }
        return "{" + ["a", "b", "c"].prefix(1 + rng.below(3)).map { "\($0): " + flowRoot(&rng, depth: depth - 1) }.joined(separator: ", ") + "}"
    }

    /// Flow collections nested about `depth` deep, with a scalar at the bottom and a sibling at the top.
    static func deep(_ rng: inout Random) -> String {
        let depth = [1, 64, 127, 128, 129, 400][rng.below(6)]
        return "a: " + String(repeating: "[", count: depth) + "x" + String(repeating: "]", count: depth) + "\nb: tag\n"
    }

    static func input(_ rng: inout Random) -> (text: String, json: Bool) {
        switch rng.below(5) {
        case 0, 1:
            let indent = ["\t", "  ", "    ", ""][rng.below(4)]
            let newline = rng.below(4) == 0 ? "\r\n" : "\n"
            let root = rng.below(2) == 0 ? "{\"spec\": \(json(&rng, depth: 4, indent: indent, newline: newline))}" : json(&rng, depth: 5, indent: indent, newline: newline)
            return (root + (rng.below(2) == 0 ? newline : ""), true)
        case 2: return (merged(&rng), false)
        case 3: return (flowRoot(&rng, depth: 4) + "\n", false)
        default: return (deep(&rng), false)
        }
    }

    // MARK: The oracle: the tree a loader builds (aliases and merge keys expanded).

    indirect enum Value: Equatable {
        case scalar(String)
        case sequence([Value])
        case mapping([String: Value])
    }

    static func resolve(_ node: YAMLNode, depth: Int = 0) -> Value? {
        guard depth < 64 else { return nil }
        switch node.kind {
        case .scalar: return .scalar(node.scalar ?? "")
        case .alias: return node.aliasTarget.flatMap { resolve($0, depth: depth + 1) }
        case .sequence:
            var items: [Value] = []
            for item in node.items {
                guard let v = resolve(item, depth: depth + 1) else { return nil }
                items.append(v)
            }
            return .sequence(items)
        case .mapping:
            var own: [String: Value] = [:]
            var merges: [YAMLNode] = []
            for entry in node.entries {
                guard let key = entry.key.scalar else { return nil }
                if key == "<<" && entry.key.style == .plain {
                    let value = entry.value.kind == .alias ? entry.value.aliasTarget : entry.value
                    if value?.kind == .sequence { merges += value!.items } else if let value { merges.append(value) }
                    continue
                }
                guard let v = resolve(entry.value, depth: depth + 1) else { return nil }
                own[key] = v
            }
            for m in merges {
                guard case .mapping(let extra)? = resolve(m, depth: depth + 1) else { return nil }
                own.merge(extra) { current, _ in current }
            }
            return .mapping(own)
        }
    }

    static func assign(_ value: inout Value, _ path: ArraySlice<YAMLPath.Component>, _ new: String) {
        guard let first = path.first else {
            value = .scalar(new)
            return
        }
        switch (value, first) {
        case (.mapping(var m), .key(let k)):
            if var child = m[k] {
                assign(&child, path.dropFirst(), new)
                m[k] = child
            }
            value = .mapping(m)
        case (.sequence(var items), .index(let i)) where i < items.count:
            assign(&items[i], path.dropFirst(), new)
            value = .sequence(items)
        default:
            break
        }
    }

    // MARK: The run

    @Test func shapesNeverCrashAndAcceptedEditsChangeOnlyTheirTargets() throws {
        var rng = Random(state: 20261204)
        var accepted = 0
        var noOps = 0
        var refused: [String: Int] = [:]
        var shapes: [Bool: Int] = [:]
        for _ in 0..<2500 {
            let (text, isJSON) = Self.input(&rng)
            let bytes = Array(text.utf8)
            guard let stream = try? YAMLStream(bytes: bytes) else {
                refused["parse", default: 0] += 1
                continue
            }
            let scalars = stream.documents.flatMap(\.nodes).filter { node in
                node.kind == .scalar && node.parent.map { p in p.kind == .sequence || p.entries.contains { $0.value.id == node.id } } == true
            }
            guard !scalars.isEmpty else { continue }
            var targets: [(YAMLNode, YAMLPath, String)] = []
            for _ in 0..<(1 + rng.below(3)) {
                let node = scalars[rng.below(scalars.count)]
                guard let path = EditFuzzTests.path(to: node, quoting: true), !targets.contains(where: { $0.0.id == node.id }) else { continue }
                // The grammar round-trips every key.
                #expect(try YAMLPath(parsing: path.description) == path, "\(path)")
                let value = rng.below(3) == 0 ? (node.scalar ?? "") : EditFuzzTests.values[rng.below(EditFuzzTests.values.count)]
                targets.append((node, path, value))
            }
            guard !targets.isEmpty else { continue }
            let outcome: EditOutcome
            do {
                outcome = try YAMLStream.forEditing(bytes: bytes).apply(targets.map { ScalarEdit(path: $0.1, value: $0.2, document: 0) })
            } catch {
                #expect(error.code != .verificationFailed, "\(error) in \(text.debugDescription)")
                refused[error.code.description, default: 0] += 1
                continue
            }
            shapes[isJSON, default: 0] += 1
            guard outcome.changed else {
                noOps += 1
                #expect(outcome.bytes == bytes)
                continue
            }
            accepted += 1
            try EditFuzzTests.independentCheck(before: stream, after: outcome.bytes, targets: targets.map { ($0.0, $0.2) })
            if isJSON {
                #expect((try? JSONSerialization.jsonObject(with: Data(outcome.bytes), options: [.fragmentsAllowed])) != nil, "\(String(decoding: outcome.bytes, as: UTF8.self))")
            }
            let after = try YAMLStream(bytes: outcome.bytes)
            if var expected = Self.resolve(stream.documents[0].root), let got = Self.resolve(after.documents[0].root) {
                for (_, path, value) in targets { Self.assign(&expected, path.components[...], value) }
                #expect(got == expected, "an edit changed more than its targets: \(targets.map { "\($0.1)=\($0.2)" }) in \(text.debugDescription)")
            }
        }
        #expect(accepted > 800 && noOps > 20 && (shapes[true] ?? 0) > 300, "accepted \(accepted), no-ops \(noOps), refused \(refused)")
        #expect((refused["anchored target"] ?? 0) > 10 && (refused["nesting too deep"] ?? 0) + (refused["parse"] ?? 0) > 10, "\(refused)")
    }
}

extension Array {
    func shuffled(_ rng: inout EditFuzzTests.Random) -> [Element] {
        var copy = self
        for i in stride(from: copy.count - 1, to: 0, by: -1) { copy.swapAt(i, rng.below(i + 1)) }
        return copy
    }
}
