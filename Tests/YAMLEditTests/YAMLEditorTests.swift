import Testing
import YAMLEdit
import Foundation

/// Splice edits: only the target's bytes change; style kept where it can hold the value; refusals.
@Suite struct YAMLEditorTests {
    func set(_ text: String, _ path: String, _ value: String, document: Int? = nil) throws -> String {
        let out = try YAMLStream.edit(bytes: Array(text.utf8), file: "t.yaml", [ScalarEdit(path: try YAMLPath(parsing: path), value: value, document: document)])
        return String(decoding: out, as: UTF8.self)
    }

    func refusal(_ text: String, _ path: String, _ value: String = "x", document: Int? = nil) -> YAMLSourceError? {
        do {
            _ = try set(text, path, value, document: document)
            return nil
        } catch let error as YAMLSourceError {
            return error
        } catch {
            return nil
        }
    }

    @Test func keepsCommentOnTheSameLineAndEverythingElse() throws {
        let text = "# head\nspec:\n  modelUri: gs://a/1   # keep me\n  other: 1\n"
        #expect(try set(text, "spec.modelUri", "gs://a/2") == "# head\nspec:\n  modelUri: gs://a/2   # keep me\n  other: 1\n")
    }

    @Test(arguments: [
        ("1.10", "\"1.10\""), ("yes", "\"yes\""), ("null", "\"null\""), ("0o17", "\"0o17\""), ("a: b", "\"a: b\""),
        ("x #y", "\"x #y\""), ("*ref", "\"*ref\""), ("&a", "\"&a\""), ("- x", "\"- x\""), ("!t", "\"!t\""),
        ("%p", "\"%p\""), ("@x", "\"@x\""), ("", "\"\""), ("a\nb", "\"a\\nb\""), ("~", "\"~\""), ("1e3", "\"1e3\""),
        ("0x1F", "\"0x1F\""), ("y", "\"y\""), ("2024-01-02", "\"2024-01-02\""), ("1:30", "\"1:30\""),
        ("1.4.2", "1.4.2"), ("gs://m/j/1.4.2", "gs://m/j/1.4.2"), ("v1.2", "v1.2"), ("--model_id=x", "--model_id=x"),
    ])
    func quotesWhenPlainWouldReadOtherwise(value: String, written: String) throws {
        #expect(try set("a:\n  tag: old\n", "a.tag", value) == "a:\n  tag: \(written)\n")
    }

    @Test func keepsQuotingStyle() throws {
        #expect(try set("t: 'old'\n", "t", "it's") == "t: 'it''s'\n")
        #expect(try set("t: \"old\"\n", "t", "new") == "t: \"new\"\n")
        #expect(try set("t: 'old'\n", "t", "a\nb") == "t: \"a\\nb\"\n")
    }

    @Test func flowStyleAndJSON() throws {
        #expect(try set("{\"a\": {\"uri\": \"gs://x\"}}", "a.uri", "gs://y") == "{\"a\": {\"uri\": \"gs://y\"}}")
        #expect(try set("a: [x, y]\n", "a[1]", "p,q") == "a: [x, \"p,q\"]\n")
        #expect(try set("{\"n\": 1}\n", "n", "2") == "{\"n\": \"2\"}\n")
    }

    @Test func emptyValueGetsOne() throws {
        #expect(try set("a:\n  uri:\n  b: 1\n", "a.uri", "gs://x") == "a:\n  uri: gs://x\n  b: 1\n")
        #expect(try set("a:\n  uri: # c\n", "a.uri", "gs://x") == "a:\n  uri: gs://x # c\n")
    }

    @Test func blockScalars() throws {
        #expect(try set("image: >-\n  quay.io/a@sha256:1\nnext: 1\n", "image", "quay.io/a@sha256:2") == "image: >-\n  quay.io/a@sha256:2\nnext: 1\n")
        #expect(try set("s: |\n  old\n\nnext: 1\n", "s", "l1\nl2\n") == "s: |\n  l1\n  l2\n\nnext: 1\n")
    }

    @Test func moreShapes() throws {
        #expect(try set("s: |\r\n  old\r\nn: 1\r\n", "s", "new") == "s: |-\r\n  new\r\nn: 1\r\n")
        #expect(try set("s: > # note\n  a\n  b\nn: 1\n", "s", "c") == "s: >- # note\n  c\nn: 1\n")
        #expect(try set("t: !!str 1.0\n", "t", "2.0") == "t: !!str \"2.0\"\n")
        #expect(try set("m: {a: , b: 1}\n", "m.a", "x") == "m: {a: x, b: 1}\n")
        #expect(try set("p: one\n  two\nq: 1\n", "p", "three") == "p: three\nq: 1\n")
        #expect(try set("d: \"a\n  b\"\nq: 1\n", "d", "c") == "d: \"c\"\nq: 1\n")
        #expect(try set("- a\n- b\n", "[1]", "c") == "- a\n- c\n")
        #expect(try set("a: 1 # c\n", "a", "x # y") == "a: \"x # y\" # c\n")
    }

    @Test func crlfBomAndNoFinalNewline() throws {
        #expect(try set("\u{FEFF}a: 1\r\nb: x\r\n", "b", "z") == "\u{FEFF}a: 1\r\nb: z\r\n")
        #expect(try set("k: \"é日本\"\nü: old", "ü", "néw") == "k: \"é日本\"\nü: néw")
    }

    @Test func selectorsWithDotsAndSlashes() throws {
        let text = "images:\n- name: ghcr.io/org/app\n  newTag: v1\n- name: b\n  newTag: v1\n"
        #expect(try set(text, "images[name=ghcr.io/org/app].newTag", "v2") == text.replacingFirst("newTag: v1", "newTag: v2"))
    }

    @Test func multiDocumentNeedsDocumentWhenAmbiguous() throws {
        let text = "a: 1\n---\na: 2\n"
        #expect(refusal(text, "a")?.code == .ambiguousPath)
        #expect(try set(text, "a", "3", document: 1) == "a: 1\n---\na: \"3\"\n")
        #expect(refusal(text, "a", document: 5)?.code == .documentOutOfRange)
    }

    @Test func refusals() {
        #expect(refusal("a: &x v\nb: *x\n", "a")?.code == .anchoredTarget)
        #expect(refusal("a: &x v\nb: *x\n", "b")?.code == .aliasedTarget)
        #expect(refusal("a: {b: 1}\n", "a")?.code == .notAScalar)
        #expect(refusal("a: 1\n", "b")?.code == .pathNotFound)
        #expect(refusal("a: [1\n", "a")?.code == .invalidYAML)
        #expect(refusal("a: 1\na: 2\n", "a")?.code == .duplicateKey)
        #expect(refusal("a: !!int 1\n", "a")?.code == .taggedTarget)
        #expect(refusal("x:\n  replicas: {{ .Values.n }}\n", "x.replicas")?.code == .helmTemplate)
        #expect(refusal("x:\n  name: app-{{ .Release.Name }}\n", "x.name")?.code == .helmTemplate)
        #expect(refusal("x:\n  name: app-{{ include \"n\" . }}\n", "x.name")?.code == .helmTemplate)
        #expect(refusal("x:\n  name: app-{{- $x }}\n", "x.name")?.code == .helmTemplate)
        #expect(refusal("x:\n{{- if .Values.a }}\n  b: 1\n{{- end }}\n", "x.b")?.code == .helmTemplate)
        #expect(refusal("? [a]\n: 1\nb: 2\n", "b")?.code == .nonScalarKey)
    }

    @Test func bracesInsideQuotedStringsAreData() throws {
        let text = "metadata:\n  namespace: '{{ .Release.Namespace }}'\n  name: seldon-{{workflow.uid}}\n  greeting: Hello {{ .Name }}\nspec:\n  image: a:1\n"
        #expect(try set(text, "spec.image", "a:2") == text.replacingFirst("a:1", "a:2"))
    }

    @Test func refusalMessageNamesFileLineAndReason() {
        let error = refusal("a:\n  b: 1\n", "a.c")
        #expect(error?.description.hasPrefix("t.yaml:2:3: no key \"c\"") == true)
    }

    @Test func severalEditsInOneCall() throws {
        let text = "a: 1\nb: 2\n"
        let out = try YAMLStream.edit(bytes: Array(text.utf8), [ScalarEdit(path: "b", value: "x"), ScalarEdit(path: "a", value: "w")])
        #expect(String(decoding: out, as: UTF8.self) == "a: w\nb: x\n")
        #expect(throws: YAMLSourceError.self) {
            _ = try YAMLStream.edit(bytes: Array(text.utf8), [ScalarEdit(path: "a", value: "x"), ScalarEdit(path: "a", value: "w")])
        }
    }
}

extension String {
    func replacingFirst(_ target: String, _ replacement: String) -> String {
        guard let r = range(of: target) else { return self }
        return replacingCharacters(in: r, with: replacement)
    }
}
