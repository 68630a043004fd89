import Testing
import YAMLEdit

@Suite struct YAMLPathTests {
    @Test(arguments: [
        "spec.predictors[name=default].graph.children[name=b].modelUri",
        "images[name=ghcr.io/kubeflow/model-registry/server].newTag",
        "a.b[2].c[name=x.y/z].d", "[0].a", "a[0][1]", "spec.containers[name=a=b].image",
        "metadata.annotations.\"serving.kserve.io/deploymentMode\"", "\"image.tag\"", "a.\"q\\\"uote\".\"back\\\\slash\"",
        "images[name=\"a]b\"].newTag", "x[\"a.b=c\"=v]", "x[\"a[b\"=v]", "\"\"", "\"[0]\"[0]",
    ])
    func descriptionRoundTrips(text: String) throws {
        #expect(try YAMLPath(parsing: text).description == text)
    }

    @Test func components() throws {
        let path = try YAMLPath(parsing: "a.b[2].c[name=x.y/z].d")
        #expect(path.components == [.key("a"), .key("b"), .index(2), .key("c"), .select(key: "name", value: "x.y/z"), .key("d")])
    }

    /// DESIGN section 2: quoted keys with `\"` and `\\`, Helm's `image\.tag`, quoted selector values.
    @Test(arguments: [
        ("metadata.annotations.\"serving.kserve.io/deploymentMode\"", [YAMLPath.Component.key("metadata"), .key("annotations"), .key("serving.kserve.io/deploymentMode")]),
        ("\"image.tag\"", [.key("image.tag")]),
        ("image\\.tag", [.key("image.tag")]),
        ("a\\.b\\.c.d", [.key("a.b.c"), .key("d")]),
        ("\"a\\\"b\\\\c\"", [.key("a\"b\\c")]),
        ("images[name=\"ghcr.io/org/app\"].newTag", [.key("images"), .select(key: "name", value: "ghcr.io/org/app"), .key("newTag")]),
        ("images[\"na.me\"=\"x]\"]", [.key("images"), .select(key: "na.me", value: "x]")]),
        ("a[name=\"\"]", [.key("a"), .select(key: "name", value: "")]),
        ("win\\path", [.key("win\\path")]),
        ("\"a\"[1].\"b\"", [.key("a"), .index(1), .key("b")]),
    ])
    func extendedGrammar(text: String, expected: [YAMLPath.Component]) throws {
        let path = try YAMLPath(parsing: text)
        #expect(path.components == expected)
        #expect(try YAMLPath(parsing: path.description) == path)
    }

    @Test(arguments: [
        "", "a.", ".a", "a..b", "a[", "a[x]", "a[-1]", "a]b", "a[0]b", "a[=v]", "\"a", "\"a\"b", "a\"b\"", "\"a\\x\"",
        "a[name=\"x\"y]", "a[name=\"x", "[\"0\"]",
    ])
    func invalid(text: String) {
        let error = #expect(throws: YAMLSourceError.self) { try YAMLPath(parsing: text) }
        #expect(error?.code == .invalidPath)
    }
}
