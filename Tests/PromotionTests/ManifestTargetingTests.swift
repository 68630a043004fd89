import Foundation
import Promotion
import Testing
import YAMLEdit

/// Choosing the location a model's new version goes to: convention first, `field:` otherwise.
@Suite struct ManifestTargetingTests {
    static let canary = """
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata:
          name: jukebox
        spec:
          predictors:
          - name: default
            traffic: 90
            graph:
              name: router
              children:
              - name: jukebox
                modelUri: gs://models/jukebox/1.4.1
              - name: feature-store
                modelUri: gs://models/features/7
          - name: canary
            traffic: 10
            graph:
              name: lyrics
              modelUri: gs://models/lyrics/2.0.0
        """

    @Test func theGraphNodeNamedAfterTheModel() throws {
        let plan = try ModelTargeting.plan(model: "jukebox", change: .uri("gs://models/jukebox/1.4.2"), in: try YAMLStream(text: Self.canary))
        #expect(plan.location.path.description == "spec.predictors[name=default].graph.children[name=jukebox].modelUri")
        #expect(plan.newValue == "gs://models/jukebox/1.4.2")
        let out = try YAMLStream(text: Self.canary).setting([plan.edit])
        #expect(String(decoding: out, as: UTF8.self) == Self.canary.replacingOccurrences(of: "jukebox/1.4.1", with: "jukebox/1.4.2"))
        let lyrics = try ModelTargeting.plan(model: "lyrics", change: .uri("gs://models/lyrics/2.1.0"), in: try YAMLStream(text: Self.canary))
        #expect(lyrics.location.path.description == "spec.predictors[name=canary].graph.modelUri")
    }

    @Test func theOneLocationInTheFile() throws {
        let text = "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: sklearn-iris\nspec:\n  predictor:\n    model:\n      modelFormat: {name: sklearn}\n      storageUri: gs://a/1\n"
        let plan = try ModelTargeting.plan(model: "jukebox", change: .uri("gs://a/2"), in: try YAMLStream(text: text))
        #expect(plan.location.path.description == "spec.predictor.model.storageUri")
        #expect(!plan.isNoOp)
    }

    @Test func ambiguousWithoutANameNeedsField() throws {
        let text = "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata:\n  name: other\nspec:\n  predictor:\n    model:\n      storageUri: gs://a/1\n  explainer:\n    alibi:\n      storageUri: gs://b/1\n"
        let stream = try YAMLStream(text: text)
        let error = #expect(throws: ModelTargetError.self) {
            try ModelTargeting.plan(model: "jukebox", change: .uri("gs://a/2"), in: stream)
        }
        #expect(error?.code == .ambiguous && error?.candidates.count == 2)
        let plan = try ModelTargeting.plan(
            model: "jukebox", change: .uri("gs://a/2"), in: stream, field: try YAMLPath(parsing: "spec.explainer.alibi.storageUri"))
        #expect(plan.location.type == .storageUri && plan.newValue == "gs://a/2")
        let missing = #expect(throws: ModelTargetError.self) {
            try ModelTargeting.plan(model: "jukebox", change: .uri("x"), in: stream, field: try YAMLPath(parsing: "spec.nope"))
        }
        #expect(missing?.code == .field && missing?.cause?.code == .pathNotFound)
    }

    @Test func imageTagsAndKustomize() throws {
        let k = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages:\n- name: ghcr.io/org/jukebox\n  newTag: 1.4.1\n- name: ghcr.io/org/other\n  newTag: 3.0.0\n"
        let plan = try ModelTargeting.plan(model: "ghcr.io/org/jukebox", change: .imageTag("1.4.2"), in: try YAMLStream(text: k))
        #expect(plan.location.path.description == "images[name=ghcr.io/org/jukebox].newTag" && plan.newValue == "1.4.2")
        #expect(ImageReference.replacingTag(of: "registry:5000/org/app:1.0@sha256:abc", with: "2.0") == "registry:5000/org/app:2.0")
        #expect(ImageReference.replacingTag(of: "registry:5000/org/app", with: "2.0") == "registry:5000/org/app:2.0")
        #expect(ImageReference.tag(of: "org/app:1.0") == "1.0")
        #expect(ModelChange.imageTag("2").newValue(replacing: "seldonio/mock:1", type: .image) == "seldonio/mock:2")
    }

    @Test func noLocation() throws {
        let error = #expect(throws: ModelTargetError.self) {
            try ModelTargeting.plan(model: "m", change: .uri("x"), in: try YAMLStream(text: "apiVersion: v1\nkind: Secret\n"))
        }
        #expect(error?.code == .noLocation)
    }
}
