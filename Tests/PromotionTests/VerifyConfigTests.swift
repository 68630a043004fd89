import Testing
@testable import Promotion

/// `verify:` in promote.yaml (DESIGN.md section 3): decoded into ``VerifySettings``, and every mistake refused with
/// its file, line and key.
@Suite struct VerifyConfigTests {
    /// DESIGN.md section 3's staging environment, verbatim.
    static let designStaging = """
        repository: {url: file:///r.git}
        environments:
          - name: staging
            path: environments/staging/{model}.yaml
            mode: push
            gates: { accuracy: ">= 0.90" }          # gates apply to push environments too: a failing gate blocks the push
            verify:                                # checks that make a live version verified here
              for: 10m                             # every check must pass continuously this long (sampled every `every`)
              every: 1m
              argocd: { url: https://argocd.example, application: "{model}-staging", tokenEnv: ARGOCD_TOKEN }
                                                   # synced to the promoted commit and Healthy
              prometheus:
                url: http://prometheus:9090
                queries:
                  - name: error-rate
                    query: 'sum(rate(model_requests_total{model="{model}",code=~"5.."}[5m])) / sum(rate(model_requests_total{model="{model}"}[5m]))'
                    expect: "< 0.01"               # the same comparison syntax as gates; an empty result fails the check
        """

    func decode(_ text: String) throws(ConfigError) -> PromoteConfig {
        try ConfigDecoder.decode(yaml: .init(name: "promote.yaml", bytes: Array(text.utf8)))
    }

    func problems(_ text: String) -> [String] {
        do {
            _ = try decode(text)
            return []
        } catch { return error.problems.map(\.description) }
    }

    /// One environment with `verify:` set to `body` (indented under `verify:` by the caller's own lines).
    func withVerify(_ body: String) -> String {
        "repository: {url: file:///r.git}\nenvironments:\n  - name: staging\n    verify:\n"
            + body.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n") + "\n"
    }

    @Test func theDesignExampleDecodes() throws {
        let verify = try #require(try decode(Self.designStaging).environments.first?.verify)
        #expect(verify.holdFor == .seconds(600))
        #expect(verify.every == .seconds(60))
        #expect(verify.argoCD == .init(url: "https://argocd.example", application: "{model}-staging", tokenEnv: "ARGOCD_TOKEN"))
        let prometheus = try #require(verify.prometheus)
        #expect(prometheus.url == "http://prometheus:9090")
        #expect(prometheus.tokenEnv == nil)
        let query = try #require(prometheus.queries.first)
        #expect(query.name == "error-rate")
        #expect(query.query.hasPrefix(#"sum(rate(model_requests_total{model="{model}",code=~"5.."}[5m]))"#))
        #expect(query.comparison == .less && query.threshold == 0.01 && query.expect == "< 0.01")
        #expect(query.holds(0.001) && !query.holds(0.01))
    }

    @Test func noVerifyMeansNone() throws {
        #expect(try decode("repository: {url: file:///r.git}\nenvironments: [{name: staging}]\n").environments.first?.verify == nil)
    }

    @Test func everyDefaultsToAMinuteOrTheWindow() throws {
        let long = try decode(withVerify("for: 1h\nargocd: {url: 'https://a.example/', application: x, tokenEnv: T}"))
        #expect(long.environments.first?.verify?.every == .seconds(60))
        #expect(long.environments.first?.verify?.argoCD?.url == "https://a.example", "a trailing slash is dropped")
        let short = try decode(withVerify("for: 20s\nprometheus: {url: 'http://127.0.0.1:9090', tokenEnv: P, queries: [{name: up, query: up, expect: '== 1'}]}"))
        #expect(short.environments.first?.verify?.every == .seconds(20))
        #expect(short.environments.first?.verify?.prometheus?.tokenEnv == "P")
    }

    @Test func verifyWithoutASourceIsRefusedAtItsLine() {
        #expect(problems(withVerify("for: 10m")) == [
            "promote.yaml:4: environments[0].verify: needs a source: set argocd: {url, application, tokenEnv} and/or prometheus: {url, queries}",
        ])
    }

    @Test func everyMistakeIsNamedWithFileAndLine() {
        let found = problems(withVerify("""
            for: 1m
            every: 5m
            argocd: {url: 'ftp://argocd.example', application: "{model}-{stage}"}
            prometheus:
              url: http://prom.example:9090
              tokenEnv: PROM
              querys: []
              queries:
                - {name: errors, query: 'rate(x[5m])', expect: "=> 1"}
                - {name: errors, query: '', expect: "< production"}
                - {name: lat}
            """))
        let expected = [
            "promote.yaml:6: environments[0].verify.every: '5m' is longer than for (1m)",
            "promote.yaml:7: environments[0].verify.argocd.tokenEnv: is required",
            "promote.yaml:7: environments[0].verify.argocd.url: 'ftp://argocd.example' must be an http:// or https:// URL",
            "promote.yaml:7: environments[0].verify.argocd.application: '{model}-{stage}' uses {stage}",
            "promote.yaml:9: environments[0].verify.prometheus.url: is plain http:// to another host",
            "promote.yaml:11: environments[0].verify.prometheus.querys: unknown key (did you mean 'queries'?)",
            "promote.yaml:13: environments[0].verify.prometheus.queries[0].expect: '=> 1' must start with",
            "promote.yaml:14: environments[0].verify.prometheus.queries[1].name: 'errors' is used by another query",
            "promote.yaml:14: environments[0].verify.prometheus.queries[1].query: is empty",
            "promote.yaml:14: environments[0].verify.prometheus.queries[1].expect: '< production' compares with production",
            "promote.yaml:15: environments[0].verify.prometheus.queries[2].query: is required",
            "promote.yaml:15: environments[0].verify.prometheus.queries[2].expect: is required",
        ]
        for prefix in expected {
            #expect(found.contains { $0.hasPrefix(prefix) }, "\(prefix)\nnot in:\n\(found.joined(separator: "\n"))")
        }
        #expect(found.count == expected.count, "\(found.joined(separator: "\n"))")
    }

    @Test func forIsRequiredAndURLsCarryNoCredentials() {
        let found = problems(withVerify("""
            argocd: {url: 'https://admin:pw@argocd.example', application: x, tokenEnv: T, token: abc}
            prometheus: {url: 'http://prometheus:9090', queries: []}
            """))
        #expect(found.contains { $0.contains("verify.for: is required") })
        #expect(found.contains { $0.contains("verify.argocd.url: must not contain a user or password") })
        #expect(found.contains { $0.contains("verify.argocd.token: unknown key") })
        #expect(found.contains { $0.contains("verify.prometheus.queries: is required: at least one") })
        #expect(!found.joined().contains("pw@"))
    }

    @Test func templatesReplaceOnlyTheirPlaceholders() {
        let argo = VerifySettings.ArgoCD(url: "https://a", application: "{model}-{env}", tokenEnv: "T")
        #expect(argo.applicationName(model: "jukebox", environment: "staging") == "jukebox-staging")
        let query = VerifySettings.PrometheusQuery(
            name: "e", query: #"sum(x{model="{model}",env="{env}",v="{version}"}) / on() group_left y{model="{model}"}"#,
            comparison: .less, threshold: 1, expect: "< 1")
        #expect(query.promQL(model: "jukebox", environment: "staging", version: #"1.0"x\"#)
            == #"sum(x{model="jukebox",env="staging",v="1.0\"x\\"}) / on() group_left y{model="jukebox"}"#)
    }
}
