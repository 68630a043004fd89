import Foundation
import TestSupport
import Testing
import YAMLEdit

/// The official YAML test suite: every case libyaml accepts parses into the suite's event values, and every
/// scalar's span points at exactly its source text; every case libyaml rejects is an error with a position.
@Suite struct YAMLTestSuiteTests {
    static let verdicts: [(id: String, accept: Bool)] = {
        guard let data = try? Data(contentsOf: YAMLFixtures.yamlTestSuite.appendingPathComponent("libyaml-verdicts.json")),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: String]
        else { return [] }
        return object.keys.sorted().map { ($0, object[$0] == "accept") }
    }()

    /// Valid cases where libyaml 0.2.5 produces other values than the spec (its known deviations): `?foo` as a
    /// flow key (652Z, HM87/01), `|+` keep-chomping at the end of the stream (JEF9/02, L24T/01), `:` inside an anchor name (Y2GN).
    static let libyamlDeviations: Set<String> = ["652Z", "HM87/01", "JEF9/02", "L24T/01", "Y2GN"]

    static var accepted: [String] { verdicts.filter(\.accept).map(\.id) }
    static var rejected: [String] { verdicts.filter { !$0.accept }.map(\.id) }

    func input(_ id: String) throws -> [UInt8] {
        try YAMLFixtures.bytes("yaml-test-suite/\(id)/in.yaml")
    }

    @Test func corpusIsPresent() {
        #expect(Self.accepted.count == 273)
        #expect(Self.rejected.count == 129)
    }

    /// (kind, style, value) of each `=VAL` and `=ALI` line of test.event, unescaped.
    func expectedScalars(_ id: String) throws -> [(Character, String)] {
        let text = String(decoding: try YAMLFixtures.bytes("yaml-test-suite/\(id)/test.event"), as: UTF8.self)
        var out: [(Character, String)] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("=ALI ") {
                out.append(("*", String(line.dropFirst(6))))
            } else if line.hasPrefix("=VAL ") {
                var rest = line.dropFirst(5)
                while rest.first == "&" || rest.first == "<" {
                    rest = rest.drop { $0 != " " }.dropFirst()
                }
                guard let style = rest.first else { continue }
                var value = ""
                var chars = rest.dropFirst().makeIterator()
                while let c = chars.next() {
                    if c == "\\", let n = chars.next() {
                        switch n {
                        case "n": value.append("\n")
                        case "t": value.append("\t")
                        case "r": value.append("\r")
                        case "b": value.append("\u{08}")
                        case "0": value.append("\u{00}")
                        default: value.append(n)
                        }
                    } else {
                        value.append(c)
                    }
                }
                out.append((style, value))
            }
        }
        return out
    }

    @Test(arguments: accepted)
    func acceptedCaseSpansPointAtTheirSource(id: String) throws {
        let bytes = try input(id)
        let stream = try YAMLStream(bytes: bytes, file: id)
        let nodes = stream.documents.flatMap(\.nodes).filter { $0.kind == .scalar || $0.kind == .alias }
        for node in nodes where node.kind == .scalar {
            SpanCheck.check(node, source: bytes, id: id)
        }
        // The event values: only where the suite calls the input valid and libyaml 0.2.5 agrees with the spec.
        let suiteError = FileManager.default.fileExists(atPath: YAMLFixtures.yamlTestSuite.appendingPathComponent("\(id)/error").path)
        guard !suiteError, !Self.libyamlDeviations.contains(id) else { return }
        let expected = try expectedScalars(id)
        try #require(nodes.count == expected.count, "\(id): \(nodes.count) scalars, test.event has \(expected.count)")
        for (node, (style, value)) in zip(nodes, expected) {
            let span = node.span
            #expect(span.start.offset <= span.end.offset && span.end.offset <= bytes.count)
            if node.kind == .alias {
                #expect(style == "*" && node.aliasName == value)
                #expect(node.sourceText == "*" + value, "\(id): alias span \(node.sourceText)")
                continue
            }
            #expect(node.scalar == value, "\(id): value \(node.scalar ?? "nil") vs \(value)")
            let styleChar: Character =
                switch node.style {
                case .plain: ":"
                case .singleQuoted: "'"
                case .doubleQuoted: "\""
                case .literal: "|"
                case .folded: ">"
                }
            #expect(styleChar == style, "\(id): style of \(value)")
        }
        // Line and column agree with the byte offset.
        for node in stream.documents.flatMap(\.nodes) {
            let start = node.span.start
            let before = bytes[..<start.offset]
            let line = before.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            let column = String(decoding: bytes[lineStart..<start.offset], as: UTF8.self).unicodeScalars.count + 1
            #expect(start.line == line && start.column == column, "\(id): \(start) vs \(line):\(column)")
        }
    }

    @Test(arguments: rejected)
    func rejectedCaseIsAnErrorWithAPosition(id: String) throws {
        let bytes = try input(id)
        let error = #expect(throws: YAMLSourceError.self) { try YAMLStream(bytes: bytes, file: id) }
        #expect(error?.code == .invalidYAML)
        let location = try #require(error?.location)
        #expect(location.line >= 1 && location.column >= 1 && location.offset <= bytes.count)
        #expect(error?.description.hasPrefix("\(id):\(location.line):\(location.column): invalid YAML") == true)
        // The editor refuses it the same way, never crashes.
        #expect(throws: YAMLSourceError.self) { try YAMLStream.edit(bytes: bytes, file: id, [ScalarEdit(path: "a", value: "b")]) }
    }
}

/// Checks that a scalar's span covers exactly its source text: the span, read with the scalar's style, gives the value.
enum SpanCheck {
    static func check(_ node: YAMLNode, source: [UInt8], id: String) {
        var text = Substring(node.sourceText)
        // Skip the node's properties (anchor, tag) to reach the scalar's own text.
        while text.first == "&" || text.first == "!" {
            if text.first == "&" {  // anchor names are [A-Za-z0-9_-] in libyaml
                text = text.dropFirst().drop { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }.drop { $0.isWhitespace }
            } else {
                text = text.drop { !$0.isWhitespace }.drop { $0.isWhitespace }
            }
        }
        let value = node.scalar ?? ""
        switch node.style {
        case .plain:
            if value.isEmpty {
                #expect(text.isEmpty, "\(id): empty plain scalar spans \(text.debugDescription)")
            } else if !value.contains("\n") && !text.contains("\n") {
                #expect(String(text) == value, "\(id): plain span \(text.debugDescription) vs \(value.debugDescription)")
            } else {
                #expect(tokens(text) == tokens(value), "\(id): multi-line plain span \(text.debugDescription)")
            }
            if let f = text.first, let l = text.last { #expect(!f.isWhitespace && !l.isWhitespace) }
        case .singleQuoted:
            #expect(text.first == "'" && text.last == "'" && text.count >= 2, "\(id): \(text.debugDescription)")
            let inner = String(text.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
            if !inner.contains("\n") {
                #expect(inner == value, "\(id): single-quoted span \(text.debugDescription)")
            } else {
                #expect(tokens(inner[...]) == tokens(value), "\(id): multi-line single-quoted \(text.debugDescription)")
            }
        case .doubleQuoted:
            #expect(text.first == "\"" && text.last == "\"" && text.count >= 2, "\(id): \(text.debugDescription)")
            let inner = text.dropFirst().dropLast()
            if !inner.contains("\\") && !inner.contains("\n") {
                #expect(String(inner) == value, "\(id): double-quoted span \(text.debugDescription)")
            } else if !inner.contains("\\") {
                #expect(tokens(inner) == tokens(value), "\(id): multi-line double-quoted \(text.debugDescription)")
            }
        case .literal, .folded:
            #expect(text.first == (node.style == .literal ? "|" : ">"), "\(id): block span \(text.debugDescription)")
            let body = text.drop { $0 != "\n" && $0 != "\r\n" }
            #expect(tokens(body) == tokens(value), "\(id): block span \(text.debugDescription) vs \(value.debugDescription)")
        }
    }

    static func tokens(_ s: Substring) -> [Substring] {
        s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r\n" || $0 == "\r" })
    }

    static func tokens(_ s: String) -> [Substring] { tokens(s[...]) }
}
