import Foundation
import Testing
import TestSupport
@testable import Forges

/// The forge webhook decoders fuzzed with seeded mutations of the real sample deliveries of every forge, a few
/// seconds in all: nothing crashes or hangs, and the cost of a deeply nested body grows linearly (N against 4N).
@Suite struct ForgeWebhookFuzzTests {
    static let folder = TestSupport.repositoryRoot + "/Tests/Fixtures/webhooks/forges"

    static let headers: [ForgeKind: [String: String]] = [
        .github: ["x-github-event": "pull_request"], .gitea: ["x-gitea-event": "pull_request"],
        .forgejo: ["x-forgejo-event": "pull_request"], .gitlab: ["x-gitlab-event": "Merge Request Hook"],
        .bitbucket: ["x-event-key": "pullrequest:fulfilled"],
    ]

    @Test func decodersSurviveMutations() throws {
        var seeds: [ForgeKind: [[UInt8]]] = [:]
        for kind in [ForgeKind.github, .gitea, .gitlab, .bitbucket] {
            let dir = Self.folder + "/" + kind.rawValue
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir))?.sorted() ?? [] where name.hasSuffix(".json") {
                if let data = FileManager.default.contents(atPath: dir + "/" + name) { seeds[kind, default: []].append(Array(data)) }
            }
        }
        #expect(seeds.count == 4)
        var ran = 0
        for (kind, bodies) in seeds.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            var fuzzer = Fuzzer(seed: 1_400)
            ran += fuzzer.run(seeds: bodies, count: 1_000, budget: .milliseconds(500)) { body in
                _ = try? ForgeWebhookDecoder.decode(kind: kind, headers: Self.headers[kind]!, body: body)
            }
        }
        #expect(ran >= 40)
        let growth = Fuzzer.growth(n: 1_000, { n in
            Array(("{\"action\":\"closed\",\"pull_request\":" + Fuzzer.nestedJSON(items: n) + "}").utf8)
        }) { _ = try? ForgeWebhookDecoder.decode(kind: .github, headers: Self.headers[.github]!, body: $0) }
        #expect(growth < 10, "growth \(growth)")
    }
}
