import Foundation
import Testing
@testable import Promotion

/// The release path's multi-edit: a model whose `set:` names several fields (Flux's and Kargo's image setters:
/// name, tag, digest) is one splice of one parse, checked together; all of them or nothing; a spec that already
/// holds every value is no change.
@Suite struct SpecPlannerMultiEditTests {
    static let kustomization = """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        metadata:
          annotations:
            promote.dev/uri: gs://models/app/1.0.0   # kept up to date by Promote
        images:
        - name: ghcr.io/org/app
          newName: ghcr.io/org/app
          newTag: 1.0.0

        """

    func config(_ set: String) throws -> PromoteConfig {
        let text = "repository: {url: file:///r.git}\nenvironments: [{name: staging}]\nmodels:\n  app:\n    set: \(set)\n"
        return try ConfigDecoder.decode(yaml: .init(name: "promote.yaml", bytes: Array(text.utf8)), environmentFiles: [])
    }

    func edit(_ text: String, _ config: PromoteConfig) throws -> (bytes: [UInt8], previous: String?)? {
        let request = try ReleaseRequest.validated(model: "app", version: "1.1.0", uri: "gs://models/app/1.1.0")
        return try SpecPlanner.edit(
            Array(text.utf8), path: "app.yaml", settings: config.model("app"), request: request, env: config.environments[0])
    }

    @Test func severalFieldsAreOneEditWithQuotedPaths() throws {
        let config = try config("""
            {'images[name="ghcr.io/org/app"].newName': 'registry.example.com/org/{model}', 'images[0].newTag': '{version}', \
            'metadata.annotations."promote.dev/uri"': '{uri}'}
            """)
        let edited = try #require(try edit(Self.kustomization, config))
        let expected = Self.kustomization
            .replacingOccurrences(of: "newName: ghcr.io/org/app", with: "newName: registry.example.com/org/app")
            .replacingOccurrences(of: "newTag: 1.0.0", with: "newTag: 1.1.0")
            .replacingOccurrences(of: "gs://models/app/1.0.0   #", with: "gs://models/app/1.1.0   #")
        #expect(String(decoding: edited.bytes, as: UTF8.self) == expected)
        #expect(edited.previous == "1.0.0")  // the version field is reported first
        // Again on the result: every field already holds its value, no change.
        #expect(try edit(expected, config) == nil)
    }

    @Test func oneFieldThatCannotBeSetRefusesThemAll() throws {
        let config = try config("{'images[0].newTag': '{version}', 'images[0].digest': 'sha256:{version}'}")
        let error = #expect(throws: PromotionError.self) { try edit(Self.kustomization, config) }
        #expect(error?.kind == .specRefused && error?.message.contains("no key \"digest\"") == true, "\(String(describing: error))")
    }
}
