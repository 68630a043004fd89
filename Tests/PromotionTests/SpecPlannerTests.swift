import Testing
@testable import Promotion

@Suite struct SpecPlannerTests {
    @Test(arguments: [
        ("gs://models/jukebox/1.4.2", "1.4.2"), ("s3://b/jukebox/2.0.0/", "2.0.0"), ("oci://registry/music:1.10", "1.10"),
        ("seldonio/mock_classifier:1.0", "1.0"), ("hf://org/model?revision=x", "model"), ("1.4.1", "1.4.1"),
        ("registry:5000/app@sha256:abc", "registry:5000/app@sha256:abc"),
    ])
    func versionGuess(_ value: String, _ expected: String) {
        #expect(SpecPlanner.versionGuess(from: value) == expected)
    }

    @Test func valueFollowsTheLocationType() throws {
        let request = try ReleaseRequest.validated(model: "m", version: "2.0", uri: "gs://m/2.0")
        #expect(SpecPlanner.value(for: .storageUri, current: "gs://m/1.0", request: request) == "gs://m/2.0")
        #expect(SpecPlanner.value(for: .kustomizeNewTag, current: "1.0", request: request) == "2.0")
        #expect(SpecPlanner.value(for: .image, current: "registry:5000/org/m:1.0@sha256:abc", request: request) == "registry:5000/org/m:2.0")
    }
}
