import Testing
@testable import Promotion

@Suite struct ReleaseRequestTests {
    @Test func minimalRequestGetsTheDefaultIdempotencyKey() throws {
        let r = try ReleaseRequest.validated(model: "jukebox", version: "1.4.2", uri: "gs://models/jukebox/1.4.2")
        #expect(r.idempotencyKey == "jukebox@1.4.2 gs://models/jukebox/1.4.2")
        #expect(r.environments == nil)
    }

    @Test(arguments: ["jukebox", "fraud-detector", "a.b_c-1", "M0del"])
    func acceptsModelNames(_ name: String) throws {
        _ = try ReleaseRequest.validated(model: name, version: "1", uri: "s3://b/k")
    }

    @Test(arguments: ["../etc", "a/b", ".hidden", "a..b", "", "jukebox\n", "juke box", "a\u{7}", "-x", String(repeating: "a", count: 129)])
    func refusesModelNames(_ name: String) {
        #expect(throws: InvalidRelease.self) { try ReleaseRequest.validated(model: name, version: "1", uri: "s3://b/k") }
    }

    @Test(arguments: ["1.4.2", "2.0.0+build.7", "12", "v3.1.0", "1.0.0-rc.1"])
    func acceptsVersions(_ version: String) throws {
        _ = try ReleaseRequest.validated(model: "m", version: version, uri: "s3://b/k")
    }

    @Test(arguments: ["1.4.2\n", " 1", "1 2", "", "-1", "1/2", "1:2"])
    func refusesVersions(_ version: String) {
        #expect(throws: InvalidRelease.self) { try ReleaseRequest.validated(model: "m", version: version, uri: "s3://b/k") }
    }

    @Test(arguments: ["file:///etc/passwd", "http://x/y", "gs://", "gs:/x", "javascript:alert(1)", "gs://a b"])
    func refusesURIs(_ uri: String) {
        #expect(throws: InvalidRelease.self) { try ReleaseRequest.validated(model: "m", version: "1", uri: uri) }
    }

    @Test func namesEveryFailingField() {
        do {
            _ = try ReleaseRequest.validated(
                model: "../x", version: "1\n", uri: "file:///x", metrics: ["ok": 1, "bad name": 2, "nan": .nan],
                source: .init(commit: "XYZ", runURL: "ftp://x", pipeline: "a\u{0}"), idempotencyKey: "has space",
                environments: ["Prod", "staging", "staging"])
            Issue.record("expected a refusal")
        } catch {
            let fields = Set(error.problems.map(\.field))
            #expect(fields == [
                "model", "version", "uri", "metrics.bad name", "metrics.nan", "source.commit", "source.runUrl",
                "source.pipeline", "idempotencyKey", "environments[0]", "environments[2]",
            ])
            #expect(error.description.contains("model: must start with a letter or digit"))
        }
    }

    @Test func describesControlCharactersReadably() {
        #expect(InputRules.versionProblem("1.4.2\n") == "contains a newline, which is not allowed")
        #expect(InputRules.modelNameProblem("a\u{1b}b") == "contains the character U+001B, which is not allowed")
    }
}
