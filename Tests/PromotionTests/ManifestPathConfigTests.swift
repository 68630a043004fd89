import Testing
@testable import Promotion

/// Config `field:` and `set:` keys take the path grammar of DESIGN section 2 (quoted keys, Helm's `image\.tag`,
/// quoted selector values), and `config validate` names a malformed one with its line.
@Suite struct ManifestPathConfigTests {
    func problems(_ models: String) -> [String] {
        let text = "repository: {url: file:///r.git}\nenvironments: [{name: s}]\nmodels:\n" + models
        do {
            _ = try ConfigDecoder.decode(yaml: .init(name: "promote.yaml", bytes: Array(text.utf8)), environmentFiles: [])
            return []
        } catch { return error.problems.map(\.description) }
    }

    @Test func theExtendedGrammarIsAccepted() {
        #expect(problems("  a: {field: 'metadata.annotations.\"serving.kserve.io/deploymentMode\"'}\n").isEmpty)
        #expect(problems("  b: {set: {'\"image.tag\"': '{version}', 'image\\.name': 'org/{model}'}}\n").isEmpty)
        #expect(problems("  c: {field: 'images[name=\"ghcr.io/org/app\"].newTag'}\n").isEmpty)
    }

    @Test func aMalformedPathIsNamedWithItsLine() {
        let field = problems("  a: {field: 'spec.\"open'}\n")
        #expect(field.count == 1 && field[0].hasPrefix("promote.yaml:4: models.a.field:") && field[0].contains("without a closing"), "\(field)")
        let set = problems("  b:\n    set: {'image[': '{version}'}\n")
        #expect(set.count == 1 && set[0].contains("'[' without ']'"), "\(set)")
    }
}
