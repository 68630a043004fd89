import Foundation
import Testing
import TestSupport
@testable import Promotion

/// Fuzz targets for every parser fed from outside that lives in the core: `promote.yaml` and the repository's
/// Mustache templates (the intake's are in `ServiceTests/IntakeFuzzTests`). Seeded mutations of the real fixtures, a few
/// seconds each: nothing may crash or hang, and cost must grow linearly with input size (N against 4N).
@Suite struct OutsideInputFuzzTests {
    /// A bound well above linear (4) and well below quadratic (16), with room for a busy machine.
    static let linear = 10.0

    @Test func configDecoderSurvivesMutations() throws {
        let seed = Array("""
            repository: {url: "https://git.example/acme/gitops.git", branch: main, credentials: {usernameEnv: U, passwordEnv: P}}
            forge: {type: github, project: acme/gitops, tokenEnv: T, webhookSecretEnv: W}
            environments:
              - {name: staging, path: "environments/staging/{model}.yaml", mode: push, gates: {accuracy: ">= 0.9"}}
              - {name: production, mode: pull-request, labels: [promotion], reviewers: [ml-leads]}
            models:
              jukebox: {allowedUris: ["gs://models/jukebox/"], field: "spec.predictors[name=default].graph.modelUri"}
            service: {listen: "127.0.0.1:8080", reconcile: {every: 10m}, poll: {every: 1m}, cdevents: {sinks: ["https://s.example/e"]}}
            """.utf8)
        var fuzzer = Fuzzer(seed: 2_014)
        let ran = fuzzer.run(seeds: [seed], count: 3_000) { bytes in _ = try? ConfigDecoder.decode(yaml: .init(name: "f.yaml", bytes: bytes)) }
        #expect(ran >= 100)
        let growth = Fuzzer.growth(n: 1_500, { n in Array(("models:\n" + (0..<n).map { "  m\($0): {allowedUris: [\"gs://b/m\($0)/\"]}\n" }.joined()).utf8) }) {
            _ = try? ConfigDecoder.decode(yaml: .init(name: "f.yaml", bytes: $0))
        }
        #expect(growth < Self.linear, "growth \(growth)")
    }

    @Test func deepConfigAndHostileDurationsAreRefusedNotFatal() throws {
        let deep = Array(("x: " + String(repeating: "[", count: 30_000) + String(repeating: "]", count: 30_000) + "\n").utf8)
        #expect(throws: ConfigError.self) { try ConfigDecoder.decode(yaml: .init(name: "deep.yaml", bytes: deep)) }
        for every in ["1e16s", "inf", "nan", "0", "-1s", "1e308", "99999999999999999999d"] {
            let text = "repository: {url: file:///r.git}\nenvironments: [{name: staging}]\nservice: {reconcile: {every: \"\(every)\"}}\n"
            let error = try #require(throws: ConfigError.self) { try ConfigDecoder.decode(yaml: .init(name: "p.yaml", bytes: Array(text.utf8))) }
            #expect(error.problems.contains { $0.line == 3 && $0.key == "service.reconcile.every" }, "\(every): \(error)")
        }
        #expect(ConfigDecoder.parseDuration("1e16s") == nil && ConfigDecoder.parseDuration("10m") == 600)
    }

    @Test func templatesSurviveMutations() throws {
        let seeds = [DefaultTemplates.commitMessage, DefaultTemplates.pullRequestTitle, DefaultTemplates.pullRequestBody].map { Array($0.utf8) }
        let request = try ReleaseRequest.validated(
            model: "jukebox", version: "1.4.2", uri: "gs://models/jukebox/1.4.2", metrics: ["accuracy": 0.93, "f1": 0.9])
        let review = ReviewContext(request: request, environment: "production", previous: ("1.4.1", "gs://models/jukebox/1.4.1"),
                                   files: [.init(path: "p.yaml", diff: "-a\n+b\n")])
        var fuzzer = Fuzzer(seed: 4_114)
        let ran = fuzzer.run(seeds: seeds, count: 3_000) { bytes in
            _ = try? review.pullRequestBody(template: String(decoding: bytes, as: UTF8.self))
        }
        #expect(ran >= 100)
        // Deep nesting is refused at its line; nested lists stop at the budget; cost stays linear in size.
        let deep = String(repeating: "{{#hasMetrics}}", count: 20_000) + String(repeating: "{{/hasMetrics}}", count: 20_000)
        let error = try #require(throws: TemplateError.self) { try BoundedTemplate(deep, file: "templates/pr-body.mustache") }
        #expect(error.description.hasPrefix("template error: templates/pr-body.mustache:1:"))
        let lists = String(repeating: "{{#metrics}}", count: 14) + "{{name}}" + String(repeating: "{{/metrics}}", count: 14)
        #expect(throws: TemplateError.self) { try review.pullRequestBody(template: lists) }
        let growth = Fuzzer.growth(n: 2_000, { n in Array(String(repeating: "{{model}} {{#hasMetrics}}{{version}}{{/hasMetrics}}\n", count: n).utf8) }) {
            _ = try? review.render(String(decoding: $0, as: UTF8.self))
        }
        #expect(growth < Self.linear, "growth \(growth)")
    }

    @Test func renderedTrailersAreRefused() throws {
        let request = try ReleaseRequest.validated(model: "jukebox", version: "1.4.2", uri: "gs://models/jukebox/1.4.2")
        let review = ReviewContext(request: request, environment: "staging")
        for template in ["x\nPromote-Version: 9.9.9\n", "x\n  promote-model: evil\n", "{{=<% %>=}}x\nPromote-Uri: <%uri%>\n"] {
            #expect(throws: TemplateError.self) { try review.commitMessage(template: template) }
            #expect(throws: TemplateError.self) { try review.pullRequestBody(template: template) }
        }
        #expect(try review.commitMessage(template: "Promote {{model}}").hasSuffix("Promote-Environment: staging\n"))
    }
}
