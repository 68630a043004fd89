import Testing
import YAMLEdit

/// The parser as a general YAML reader: trees, spans, positions, duplicate keys, errors.
@Suite struct YAMLStreamTests {
    @Test func treeOfADocument() throws {
        let stream = try YAMLStream(text: "a: 1\nb: [x, 'y']\nc: {d: \"e\"}\nf: &k |\n  lit\ng: *k\n")
        let root = try #require(stream.documents.first?.root)
        #expect(root.kind == .mapping && root.count == 5)
        #expect(root.entries.map { $0.key.scalar } == ["a", "b", "c", "f", "g"])
        #expect(root["a"]?.resolved == .int(1))
        #expect(root["b"]?.isFlow == true && root["b"]?[1]?.style == .singleQuoted)
        #expect(root["c"]?["d"]?.scalar == "e" && root["c"]?["d"]?.style == .doubleQuoted)
        #expect(root["f"]?.anchor == "k" && root["f"]?.scalar == "lit\n" && root["f"]?.style == .literal)
        #expect(root["g"]?.kind == .alias && root["g"]?.aliasTarget?.id == root["f"]?.id)
        #expect(root["b"]?[0]?.parent?.id == root["b"]?.id)
    }

    @Test func spansAreBytesAndPositionsAreCodePoints() throws {
        // The probe's example: `"é日本"` ends at code point 8 but byte 13.
        let stream = try YAMLStream(text: "k: \"é日本\"\nü: plain\nlist: [ä, b]\n")
        let root = try #require(stream.documents.first?.root)
        let quoted = try #require(root["k"])
        #expect(quoted.span.bytes == 3..<13 && quoted.span.start.column == 4 && quoted.span.end.column == 9)
        let plain = try #require(root["ü"])
        #expect(plain.span.bytes == 18..<23 && plain.span.start.line == 2 && plain.span.start.column == 4)
        #expect(root["list"]?[0]?.sourceText == "ä")
    }

    @Test func bomIsSkippedButCounted() throws {
        let stream = try YAMLStream(bytes: [0xEF, 0xBB, 0xBF] + Array("a: b\n".utf8))
        let b = try #require(stream.documents.first?.root["a"])
        #expect(b.span.bytes == 6..<7 && b.sourceText == "b")
    }

    @Test func documentsCountEmptyOnes() throws {
        let stream = try YAMLStream(text: "---\n# only a comment\n---\na: 1\n...\n---\nb: 2\n")
        #expect(stream.documentCount == 3)
        #expect(stream.documents[0].isEmpty && !stream.documents[1].isEmpty)
        #expect(stream.documents[2].root["b"]?.span.start.line == 7)
        #expect(try YAMLStream(text: "").documentCount == 0)
    }

    @Test func duplicateKeysAreReported() throws {
        let stream = try YAMLStream(text: "a: 1\nb:\n  c: 1\n  c: 2\n", file: "p.yaml")
        #expect(stream.duplicateKeys.map(\.description) == ["duplicate key \"c\" at 4:3 (first at 3:3)"])
        let error = #expect(throws: YAMLSourceError.self) { try stream.requireUniqueKeys() }
        #expect(error?.description == "p.yaml:4:3: duplicate key \"c\" at 4:3 (first at 3:3)")
        // Many keys take the hashed path.
        let many = (0..<40).map { "k\($0): v" }.joined(separator: "\n") + "\nk7: again\n"
        #expect(try YAMLStream(text: many).duplicateKeys.first?.key == "k7")
    }

    @Test func errorsCarryLibyamlsProblemAndPosition() {
        let error = #expect(throws: YAMLSourceError.self) { try YAMLStream(text: "a: [1, 2\nb: 3\n", file: "x.yaml") }
        #expect(error?.code == .invalidYAML)
        #expect(error?.description.hasPrefix("x.yaml:2:") == true)
        #expect(error?.reason.contains("flow sequence") == true)
        let utf16 = #expect(throws: YAMLSourceError.self) { try YAMLStream(bytes: [0xFF, 0xFE, 0x61, 0x00]) }
        #expect(utf16?.code == .unsupportedEncoding)
        let badUTF8 = #expect(throws: YAMLSourceError.self) { try YAMLStream(bytes: Array("a: b\nc: ".utf8) + [0xC3, 0x28]) }
        #expect(badUTF8?.location?.line == 2)
    }

    @Test func resolverFollowsPyYAML() {
        #expect(ScalarResolver.resolve(plain: "1.10") == .float(1.1))
        #expect(ScalarResolver.resolve(plain: "0o17") == .string("0o17"))  // YAML 1.1: a string for PyYAML...
        #expect(!ScalarResolver.readsAsString(plain: "0o17"))  // ...but an int in YAML 1.2, so it is quoted
        #expect(ScalarResolver.resolve(plain: "017") == .int(15))
        #expect(ScalarResolver.resolve(plain: "1_000") == .int(1000))
        #expect(ScalarResolver.resolve(plain: "1:30") == .int(90))
        #expect(ScalarResolver.resolve(plain: "Off") == .bool(false))
        #expect(ScalarResolver.resolve(plain: "~") == .null)
        #expect(ScalarResolver.resolve(plain: "2002-12-14") == .timestamp("2002-12-14"))
        #expect(ScalarResolver.resolve(plain: "1.4.2") == .string("1.4.2"))
        #expect(ScalarResolver.resolve(plain: ".inf") == .float(.infinity))
        #expect(ScalarResolver.resolve(plain: "1e3") == .string("1e3"))
        #expect(!ScalarResolver.readsAsString(plain: "1e3"))
    }
}
