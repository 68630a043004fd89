import Testing
import YAMLEdit

/// Cases of the kinds other tools' test suites hold (our own inputs), each judged byte for byte:
/// Kargo's `json-update` (tab-indented JSON), yq's assign on flow-collection roots, Argo CD Image Updater's Helm values
/// (merge keys, literal dotted keys), and Flux's / Kargo's image setters that change several fields at once.
@Suite struct OtherToolsCasesTests {
    func edit(_ text: String, _ pairs: [(String, String)], document: Int? = nil) throws -> String {
        let edits = try pairs.map { ScalarEdit(path: try YAMLPath(parsing: $0.0), value: $0.1, document: document) }
        return String(decoding: try YAMLStream.edit(bytes: Array(text.utf8), file: "t", edits), as: UTF8.self)
    }

    func refusal(_ text: String, _ path: String, _ value: String = "x") -> YAMLSourceError? {
        do {
            _ = try edit(text, [(path, value)])
            return nil
        } catch let error as YAMLSourceError {
            return error
        } catch {
            return nil
        }
    }

    // MARK: Kargo json-update: JSON written by json.MarshalIndent(v, "", "\t") is edited as JSON.

    static let tabbedJSON = "{\n\t\"image\": {\n\t\t\"repository\": \"ghcr.io/org/app\",\n\t\t\"tag\": \"v1.0.0\"\n\t},\n\t\"replicas\": 2,\n\t\"args\": [\n\t\t\"--port=8080\"\n\t]\n}\n"

    @Test func tabIndentedJSONIsEditedAsJSON() throws {
        #expect(try edit(Self.tabbedJSON, [("image.tag", "v1.1.0")]) == Self.tabbedJSON.replacingFirst("v1.0.0", "v1.1.0"))
        // A number becomes a JSON string; a value that needs escaping gets JSON escapes.
        #expect(try edit(Self.tabbedJSON, [("replicas", "3")]) == Self.tabbedJSON.replacingFirst("2,", "\"3\","))
        #expect(try edit(Self.tabbedJSON, [("image.tag", "a\"b\\c\td\u{1}")])
            == Self.tabbedJSON.replacingFirst("\"v1.0.0\"", "\"a\\\"b\\\\c\\td\\u0001\""))
        #expect(try edit(Self.tabbedJSON, [("args[0]", "--port=9090")]) == Self.tabbedJSON.replacingFirst("8080", "9090"))
        #expect(try YAMLStream(text: Self.tabbedJSON).documents[0].root["image"]?["tag"]?.scalar == "v1.0.0")
    }

    @Test func minifiedAndCRLFJSONStayJSON() throws {
        #expect(try edit("{\"a\":{\"b\":\"x\"},\"c\":[1,\"y\"]}", [("a.b", "yes"), ("c[1]", "1.10")]) == "{\"a\":{\"b\":\"yes\"},\"c\":[1,\"1.10\"]}")
        let crlf = "{\r\n\t\"k\": \"v\"\r\n}\r\n"
        #expect(try edit(crlf, [("k", "w")]) == "{\r\n\t\"k\": \"w\"\r\n}\r\n")
    }

    @Test func jsonThatLibyamlCannotReadIsRefusedSayingWhy() {
        // Python's json.dumps escapes an emoji as a surrogate pair, which YAML's \u escape cannot express.
        let error = refusal("{\n\t\"note\": \"\\ud83d\\ude00\",\n\t\"tag\": \"1\"\n}\n", "tag")
        #expect(error?.code == .invalidYAML && error?.reason.contains("valid JSON that libyaml cannot read") == true, "\(String(describing: error))")
    }

    @Test func tabsOutsideJSONAreStillRefused() {
        // A YAML flow root with a tab-indented line and a comment is not JSON: PyYAML rejects the tab.
        #expect(refusal("{\n\ta: 1 # c\n}\n", "a")?.code == .invalidYAML)
        #expect(refusal("a:\n\tb: 1\n", "a.b")?.code == .invalidYAML)
    }

    // MARK: yq assign on documents whose root is a flow collection (YAML, not JSON): plain stays plain.

    @Test func flowRootsKeepPlainScalarsPlain() throws {
        #expect(try edit("{a: {b: apple}}\n", [("a.b", "frog")]) == "{a: {b: frog}}\n")
        #expect(try edit("[candy, apple]\n", [("[0]", "bogs")]) == "[bogs, apple]\n")
        #expect(try edit("{a: {b: 'apple'}}", [("a.b", "it's")]) == "{a: {b: 'it''s'}}")
        // Plain only where it is safe in flow context.
        #expect(try edit("[candy, apple]\n", [("[1]", "a,b")]) == "[candy, \"a,b\"]\n")
        #expect(try edit("{a: {b: apple}}\n", [("a.b", "gs://m/1")]) == "{a: {b: \"gs://m/1\"}}\n")
        #expect(try edit("{a: {b: apple}}\n", [("a.b", "true")]) == "{a: {b: \"true\"}}\n")
    }

    // MARK: Argo CD Image Updater: merge keys, anchors, literal dotted Helm keys.

    static let merged = """
        images:
          app: &app-image
            repository: ghcr.io/org/app
            tag: 1.0.0
          sidecar:
            <<: *app-image
            tag: 2.0.0

        """

    @Test func anAnchoredValueThatTheMergeOverridesIsEdited() throws {
        #expect(try edit(Self.merged, [("images.app.tag", "1.1.0")]) == Self.merged.replacingFirst("1.0.0", "1.1.0"))
        #expect(try edit(Self.merged, [("images.sidecar.tag", "2.1.0")]) == Self.merged.replacingFirst("2.0.0", "2.1.0"))
    }

    @Test func anAnchoredValueThatAnAliasStillShowsIsRefusedNamingWhere() throws {
        let error = try #require(refusal(Self.merged, "images.app.repository", "ghcr.io/org/other"))
        #expect(error.code == .anchoredTarget)
        #expect(error.reason.contains("\"images.sidecar.repository\" would change with it"), "\(error)")
        #expect(error.reason.contains("&app-image") && error.reason.contains("images.sidecar.<<"), "\(error)")
        // A plain alias shows everything inside the anchor.
        let plain = try #require(refusal("base: &b {tag: 1}\ncopy: *b\n", "base.tag"))
        #expect(plain.reason.contains("\"copy.tag\" would change with it"), "\(plain)")
        // A merge list: an earlier mapping that has the key overrides a later one.
        let list = "a: &a {tag: x}\nb: &b {tag: y, repo: r}\nc:\n  <<: [*a, *b]\n"
        #expect(try edit(list, [("b.tag", "z")]) == list.replacingFirst("tag: y", "tag: z"))
        #expect(refusal(list, "a.tag", "w")?.reason.contains("\"c.tag\" would change with it") == true)
        #expect(refusal(list, "b.repo")?.reason.contains("\"c.repo\" would change with it") == true)
    }

    @Test func anAnchorNoAliasUsesIsEditedAndKept() throws {
        #expect(try edit("a: &cool cat\n", [("a", "dog")]) == "a: &cool dog\n")
        #expect(try edit("k: &an:chor value\n", [("k", "x")]) == "k: &an x\n")
        #expect(try edit("a: &cool cat\nb: &other x\nc: *other\n", [("a", "dog")]) == "a: &cool dog\nb: &other x\nc: *other\n")
        let error = try #require(refusal("a: &cool cat\nb: *cool\n", "a", "dog"))
        #expect(error.code == .anchoredTarget && error.reason.contains("\"b\" would change with it"), "\(error)")
    }

    @Test func settingAValueToWhatItIsIsANoOp() throws {
        // Even where an alias repeats it: nothing changes.
        let text = "a: &cool cat\nb: *cool\n"
        #expect(try edit(text, [("a", "cat")]) == text)
        #expect(try edit(Self.merged, [("images.app.repository", "ghcr.io/org/app")]) == Self.merged)
        let outcome = try YAMLStream.forEditing(bytes: Array(Self.merged.utf8)).apply([ScalarEdit(path: "images.app.tag", value: "1.0.0")])
        #expect(!outcome.changed && outcome.previousValues == ["1.0.0"])
        // A number is not the string: writing it quoted is a change.
        #expect(try edit("tag: 1\n", [("tag", "1")]) == "tag: \"1\"\n")
    }

    @Test func literalDottedHelmKeys() throws {
        let values = "image.name: ghcr.io/org/app\nimage.tag: 1.0.0\nimage:\n  tag: other\n"
        let expected = values.replacingFirst("image.tag: 1.0.0", "image.tag: 1.1.0")
        #expect(try edit(values, [("\"image.tag\"", "1.1.0")]) == expected)
        #expect(try edit(values, [("image\\.tag", "1.1.0")]) == expected)
        #expect(try edit(values, [("image.tag", "2.0")]) == values.replacingFirst("tag: other", "tag: \"2.0\""))
        let annotations = "metadata:\n  annotations:\n    serving.kserve.io/deploymentMode: Serverless\n"
        #expect(try edit(annotations, [("metadata.annotations.\"serving.kserve.io/deploymentMode\"", "RawDeployment")])
            == annotations.replacingFirst("Serverless", "RawDeployment"))
        let images = "images:\n- name: ghcr.io/org/app]x\n  newTag: 1.0.0\n"
        #expect(try edit(images, [("images[name=\"ghcr.io/org/app]x\"].newTag", "1.1.0")]) == images.replacingFirst("1.0.0", "1.1.0"))
    }

    // MARK: Flux's image automation and Kargo's kustomize-set-image: several setters, one change.

    static let kustomization = """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        images:
        - name: ghcr.io/org/app   # {"$imagepolicy": "flux-system:app"}
          newName: ghcr.io/org/app
          newTag: 1.0.0
          digest: sha256:0000000000000000000000000000000000000000000000000000000000000000

        """

    @Test func severalSettersAreOneEdit() throws {
        let digest = "sha256:" + String(repeating: "a", count: 64)
        let out = try edit(Self.kustomization, [
            ("images[name=\"ghcr.io/org/app\"].newName", "ghcr.io/org/app-mirror"),
            ("images[name=ghcr.io/org/app].newTag", "1.1.0"), ("images[0].digest", digest),
        ])
        #expect(out == Self.kustomization.replacingFirst("newName: ghcr.io/org/app", "newName: ghcr.io/org/app-mirror")
            .replacingFirst("1.0.0", "1.1.0").replacingFirst("sha256:" + String(repeating: "0", count: 64), digest))
        // One failing edit refuses them all.
        #expect(throws: YAMLSourceError.self) {
            try edit(Self.kustomization, [("images[0].newTag", "1.1.0"), ("images[0].nope", "x")])
        }
        // The same scalar twice (by two spellings) is refused.
        let twice = #expect(throws: YAMLSourceError.self) {
            try edit(Self.kustomization, [("images[0].newTag", "1.1.0"), ("images[name=ghcr.io/org/app].newTag", "1.2.0")])
        }
        #expect(twice?.code == .conflictingEdits)
    }

    // MARK: Nesting depth (issue 14.6): refused with a position, before libyaml's per-token cost grows.

    @Test func nestingDeeperThanTheLimitIsRefusedWithItsPosition() throws {
        let deep = "a: " + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "\n"
        let error = #expect(throws: YAMLSourceError.self) { try YAMLStream(text: deep, file: "deep.yaml") }
        #expect(error?.code == .nestingTooDeep)
        #expect(error?.description.hasPrefix("deep.yaml:1:132: refused:") == true, "\(String(describing: error))")
        let block = (0..<1001).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n") + " x\n"
        #expect((#expect(throws: YAMLSourceError.self) { try YAMLStream(text: block) })?.code == .nestingTooDeep)
        let fine = "a: " + String(repeating: "[", count: 128) + String(repeating: "]", count: 128) + "\n"
        #expect(try YAMLStream(text: fine).documentCount == 1)
    }
}
