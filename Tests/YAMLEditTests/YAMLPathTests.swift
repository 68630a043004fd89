import Testing
import YAMLEdit

@Suite struct YAMLPathTests {
    @Test(arguments: [
        "spec.predictors[name=default].graph.children[name=b].modelUri",
        "images[name=ghcr.io/kubeflow/model-registry/server].newTag",
        "a.b[2].c[name=x.y/z].d", "[0].a", "a[0][1]", "spec.containers[name=a=b].image",
    ])
    func descriptionRoundTrips(text: String) throws {
        #expect(try YAMLPath(parsing: text).description == text)
    }

    @Test func components() throws {
        let path = try YAMLPath(parsing: "a.b[2].c[name=x.y/z].d")
        #expect(path.components == [.key("a"), .key("b"), .index(2), .key("c"), .select(key: "name", value: "x.y/z"), .key("d")])
    }

    @Test(arguments: ["", "a.", ".a", "a..b", "a[", "a[x]", "a[-1]", "a]b", "a[0]b", "a[=v]"])
    func invalid(text: String) {
        let error = #expect(throws: YAMLSourceError.self) { try YAMLPath(parsing: text) }
        #expect(error?.code == .invalidPath)
    }
}
