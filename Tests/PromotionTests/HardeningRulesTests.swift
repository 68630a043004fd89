import Foundation
import Testing
@testable import Promotion

/// The pure rules behind issue 14's fixes: normalised `allowedUris`, loopback by address, and the trust check
/// `ledger rebuild` applies to trailers.
@Suite struct HardeningRulesTests {
    @Test(arguments: [
        ("gs://models/jukebox/1.4.2", "gs://models/jukebox/", true),
        ("gs://models/jukebox/1.4.2", "gs://models/jukebox", true),
        ("gs://models/jukebox/a/b", "gs://models/", true),
        ("GS://Models/jukebox/1", "gs://models/jukebox/", true),
        ("gs://models/jukebox/../../evil/model.bin", "gs://models/jukebox/", false),
        ("gs://models/jukebox/%2e%2e/evil", "gs://models/jukebox/", false),
        ("gs://models/jukebox/%2E./evil", "gs://models/jukebox/", false),
        ("gs://models/jukebox/./1", "gs://models/jukebox/", false),
        ("gs://models/jukebox/a%2fb", "gs://models/jukebox/", false),
        ("gs://models/jukebox-evil/1", "gs://models/jukebox", false),
        ("gs://models.evil/jukebox/1", "gs://models/", false),
        ("s3://models/jukebox/1", "gs://models/jukebox/", false),
        ("gs://models/jukebox/1?x=../", "gs://models/jukebox/", false),
    ])
    func allowedURIsCompareNormalisedURIs(_ uri: String, _ prefix: String, _ under: Bool) {
        #expect(InputRules.uri(uri, isUnder: prefix) == under)
    }

    @Test func dotSegmentsAreRefusedForEveryURI() {
        #expect(InputRules.uriProblem("gs://b/m/../x") != nil)
        #expect(InputRules.uriProblem("gs://b/m/%2E%2e/x") != nil)
        #expect(InputRules.uriProblem("gs://b/m/1.4.2/model..bin") == nil)
    }

    @Test(arguments: [
        ("127.0.0.1", true), ("127.8.9.10", true), ("localhost", true), ("::1", true), ("0:0:0:0:0:0:0:1", true),
        ("::ffff:127.0.0.1", true), ("localhost.evil.example", false), ("127.0.0.1.evil.example", false),
        ("localhostevil", false), ("128.0.0.1", false), ("127.0.0", false), ("::2", false), ("1::1", false), ("", false),
    ])
    func loopbackIsDecidedByAddress(_ host: String, _ loopback: Bool) {
        #expect(LoopbackAddress.isLoopback(host: host) == loopback)
    }

    @Test func plainHTTPConfigOnlyForLoopbackHosts() {
        #expect(ConfigDecoder.isLoopbackHTTP("http://127.0.0.1:8080/x.git"))
        #expect(ConfigDecoder.isLoopbackHTTP("http://[::1]:8080/x.git"))
        #expect(ConfigDecoder.isLoopbackHTTP("http://user@localhost/x.git"))
        #expect(!ConfigDecoder.isLoopbackHTTP("http://localhost.evil.example/x.git"))
        #expect(!ConfigDecoder.isLoopbackHTTP("http://127.0.0.1@evil.example/x.git"))
    }

    static let config = try! ConfigDecoder.decode(yaml: .init(name: "promote.yaml", bytes: Array("""
        repository: {url: file:///r.git}
        environments: [{name: staging}, {name: production}]
        """.utf8)))

    static func spec(_ version: String) -> TreeEntry {
        .file(Data("""
            apiVersion: machinelearning.seldon.io/v1
            kind: SeldonDeployment
            metadata: {name: jukebox}
            spec:
              predictors:
                - name: default
                  graph: {name: jukebox, modelUri: "gs://models/jukebox/\(version)"}
            """.utf8))
    }

    @Test func trailersAreTrustedOnlyWhenTheCommitCarriesTheirChange() {
        let claim = Provenance(model: "jukebox", version: "9.9.9", uri: "gs://models/jukebox/9.9.9", environment: "production")
        func problem(_ at: TreeEntry, _ before: TreeEntry, _ p: Provenance = claim) -> String? {
            TrailerTrust.problem(with: p, config: Self.config, specAtCommit: at, specBeforeCommit: before)
        }
        #expect(problem(Self.spec("9.9.9"), Self.spec("1.0.0")) == nil)
        #expect(problem(Self.spec("9.9.9"), .missing) == nil)
        #expect(problem(Self.spec("1.0.0"), Self.spec("0.9.0"))?.contains("does not hold 9.9.9") == true)
        #expect(problem(Self.spec("9.9.9"), Self.spec("9.9.9"))?.contains("does not change") == true)
        #expect(problem(.missing, .missing)?.contains("no spec") == true)
        var elsewhere = claim
        elsewhere.environment = "canary"
        #expect(problem(Self.spec("9.9.9"), .missing, elsewhere)?.contains("not configured") == true)
    }

    @Test func flowNestingIsMeasuredOutsideQuotesCommentsAndPlainScalars() {
        func line(_ text: String, _ limit: Int = 2) -> Int? { ConfigDecoder.lineOfFlowNesting(deeperThan: limit, in: Array(text.utf8)) }
        #expect(line("a: [[1]]\nb: [[[2]]]\n") == 2)
        #expect(line("a: \"[[[[\"\nb: '[[[['\nc: x[[[[y  # [[[[\n") == nil)
        #expect(line("- {a: [1, {b: 2}]}\n") == 1)
        #expect(line("- {a: [1, {b: 2}]}\n", 3) == nil)
        #expect(line("a: [[1]]\nb: [[2]]\n") == nil)
    }

    @Test func templateNestingIsScannedWithItsLine() throws {
        let text = "a\n{{#x}}\n{{=<% %>=}}\n<%#y%>\n<%#z%>\n"
        let error = try #require(throws: TemplateError.self) { try BoundedTemplate.checkNesting(text, file: "t.mustache", limit: 2) }
        #expect(error.line == 5 && error.file == "t.mustache")
        try BoundedTemplate.checkNesting(text, file: "t.mustache", limit: 3)
    }
}
