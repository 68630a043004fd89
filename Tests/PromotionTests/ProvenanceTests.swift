import Testing
@testable import Promotion

@Suite struct ProvenanceTests {
    @Test func roundTripsThroughACommitMessage() {
        let p = Provenance(model: "jukebox", version: "1.4.2", uri: "gs://models/jukebox/1.4.2", environment: "staging",
                           event: "evt-1", run: "https://ci/run/42")
        let message = p.sign("Promote jukebox 1.4.2 to staging\n\nbody\n")
        #expect(message.hasSuffix("Promote-Run: https://ci/run/42\n"))
        #expect(message.contains("body\n\nPromote-Model: jukebox\n"))
        #expect(Provenance.parse(commitMessage: message) == [p])
    }

    @Test func severalModelsInOneCommit() {
        let a = Provenance(model: "a", version: "1", uri: "s3://a/1", environment: "staging")
        let b = Provenance(model: "b", version: "2", uri: "s3://b/2", environment: "staging")
        let message = "Promote 2 models\n\n" + a.trailers + "\n" + b.trailers + "\n"
        #expect(Provenance.parse(commitMessage: message) == [a, b])
    }

    @Test func ignoresOtherCommits() {
        #expect(Provenance.parse(commitMessage: "Fix typo\n\nSigned-off-by: x <x@y>\n").isEmpty)
    }
}
