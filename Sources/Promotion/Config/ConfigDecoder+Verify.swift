import Foundation

extension ConfigDecoder {
    /// How often checks are sampled when `every` is not set (or `for`, when that is shorter).
    static let defaultVerifyEvery = 60.0

    /// An environment's `verify:` (DESIGN.md section 3): `for` (required), `every` (default 1m, at most `for`),
    /// `argocd: {url, application, tokenEnv}` and/or `prometheus: {url, tokenEnv?, queries: [{name, query, expect}]}`.
    /// Nil when absent or when a problem was reported (the problems fail the whole config).
    static func decodeVerify(_ parent: inout ConfigReader) -> VerifySettings? {
        guard var v = parent.mapping("verify") else { return nil }
        defer { v.finish() }
        let holdFor = v.duration("for", within: DurationRange.schedule)
        if v.node("for") == nil { v.report("for", "is required: how long every check must hold without a break (e.g. 10m)") }
        var every = v.duration("every", within: DurationRange.schedule)
        if let e = every, let f = holdFor, e > f {
            v.report("every", "'\(DurationRange.format(e))' is longer than for (\(DurationRange.format(f))): sample at least once in the window")
            every = nil
        }
        var argoCD: VerifySettings.ArgoCD?
        var prometheus: VerifySettings.Prometheus?
        var sourceFailed = false
        if var a = v.mapping("argocd") {
            argoCD = decodeArgoCD(&a)
            a.finish()
            sourceFailed = argoCD == nil
        }
        if var p = v.mapping("prometheus") {
            prometheus = decodePrometheus(&p)
            p.finish()
            sourceFailed = sourceFailed || prometheus == nil
        }
        if argoCD == nil, prometheus == nil, !sourceFailed {
            parent.report("verify", "needs a source: set argocd: {url, application, tokenEnv} and/or prometheus: {url, queries}")
            return nil
        }
        guard let holdFor, !sourceFailed else { return nil }
        let sampleEvery: Double = every ?? Swift.min(defaultVerifyEvery, holdFor)
        return VerifySettings(holdFor: .seconds(holdFor), every: .seconds(sampleEvery), argoCD: argoCD, prometheus: prometheus)
    }

    /// `argocd: {url, application, tokenEnv}`; nil when something is missing or wrong (reported).
    static func decodeArgoCD(_ a: inout ConfigReader) -> VerifySettings.ArgoCD? {
        let url = a.string("url", required: true, fix: "the Argo CD server, e.g. https://argocd.example")
        let application = a.string("application", required: true, fix: "the application's name, e.g. \"{model}-{env}\"")
        let tokenEnv = a.string("tokenEnv", required: true, fix: "name the environment variable that holds the Argo CD token")
        var ok = true
        if let url { ok = checkSourceURL(&a, url, sendsToken: true) }
        if let application {
            if let problem = templateProblem(application, allowed: ["model", "env"]) {
                a.report("application", problem)
                ok = false
            } else if application.contains("/") || application.isEmpty {
                a.report("application", "'\(application)' is not an application name (no '/')")
                ok = false
            }
        }
        guard ok, let url, let application, let tokenEnv else { return nil }
        return VerifySettings.ArgoCD(url: trimmedURL(url), application: application, tokenEnv: tokenEnv)
    }

    /// `prometheus: {url, tokenEnv?, queries: [{name, query, expect}]}`; nil when something is wrong (reported).
    static func decodePrometheus(_ p: inout ConfigReader) -> VerifySettings.Prometheus? {
        let url = p.string("url", required: true, fix: "the Prometheus server, e.g. http://prometheus:9090")
        let tokenEnv = p.string("tokenEnv")
        var ok = true
        if let url { ok = checkSourceURL(&p, url, sendsToken: tokenEnv != nil) }
        var queries: [VerifySettings.PrometheusQuery] = []
        var names = Set<String>()
        let entries = p.mappings("queries")
        if entries.isEmpty {
            p.report("queries", "is required: at least one {name, query, expect}")
            ok = false
        }
        for var q in entries {
            if let query = decodeQuery(&q, names: &names) { queries.append(query) } else { ok = false }
            q.finish()
        }
        guard ok, let url else { return nil }
        return VerifySettings.Prometheus(url: trimmedURL(url), queries: queries, tokenEnv: tokenEnv)
    }

    /// One `{name, query, expect}`; `names` are the names taken so far. Nil when something is wrong (reported).
    static func decodeQuery(_ q: inout ConfigReader, names: inout Set<String>) -> VerifySettings.PrometheusQuery? {
        let name = q.string("name", required: true, fix: "the check's name, shown when it fails (e.g. error-rate)")
        let query = q.string("query", required: true, fix: "a PromQL expression")
        let expect = q.string("expect", required: true, fix: "a comparison with a number, e.g. \"< 0.01\"")
        var ok = true
        if let name, !names.insert(name).inserted {
            q.report("name", "'\(name)' is used by another query of this environment")
            ok = false
        }
        if let query, query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            q.report("query", "is empty")
            ok = false
        }
        guard let name, let query, let expect else { return nil }
        guard let expectation = parseExpectation(&q, name: name, expect: expect), ok else { return nil }
        return VerifySettings.PrometheusQuery(
            name: name, query: query, comparison: expectation.comparison, threshold: expectation.threshold, expect: expect)
    }

    /// `expect`: the gates' comparison syntax against a number (`< 0.01`, `>= 0.95`); `production` has no meaning here.
    static func parseExpectation(_ q: inout ConfigReader, name: String, expect: String)
        -> (comparison: MetricGate.Comparison, threshold: Double)?
    {
        let gate: MetricGate
        do {
            gate = try MetricGate(metric: name, expression: expect)
        } catch {
            q.report("expect", "'\(expect)' \(error.reason) (e.g. \"< 0.01\" or \">= 0.95\")")
            return nil
        }
        guard case .constant(let threshold) = gate.threshold else {
            q.report("expect", "'\(expect)' compares with production; a query's result is compared with a number (e.g. \"< 0.01\")")
            return nil
        }
        return (gate.comparison, threshold)
    }

    /// A check source's URL: http(s), no user info, no query; plain http to another host only when no token travels.
    static func checkSourceURL(_ r: inout ConfigReader, _ url: String, sendsToken: Bool) -> Bool {
        guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
            r.report("url", "'\(redactUserInfo(url))' must be an http:// or https:// URL")
            return false
        }
        if hasUserInfo(url) {
            r.report("url", "must not contain a user or password; the token comes from tokenEnv")
            return false
        }
        let authority = url.drop { $0 != "/" }.dropFirst(2).prefix { $0 != "/" }
        if authority.isEmpty || url.contains("?") || url.contains("#") {
            r.report("url", "'\(url)' must be a base URL such as https://host[:port][/path], without a query")
            return false
        }
        if sendsToken, url.hasPrefix("http://"), !isLoopbackHTTP(url) {
            r.report("url", "is plain http:// to another host, so the token from tokenEnv would travel unencrypted; use https://")
            return false
        }
        return true
    }

    /// A problem with `{...}` placeholders in `template` other than `allowed`, or nil.
    static func templateProblem(_ template: String, allowed: Set<String>) -> String? {
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { return "'\(template)' has a '{' without '}'" }
            let name = String(rest[rest.index(after: open)..<close])
            if !allowed.contains(name) {
                let known = allowed.sorted().map { "{" + $0 + "}" }.joined(separator: " ")
                return "'\(template)' uses {\(name)}; only \(known) are known"
            }
            rest = rest[rest.index(after: close)...]
        }
        return nil
    }

    static func trimmedURL(_ url: String) -> String {
        var u = Substring(url)
        while u.hasSuffix("/") { u = u.dropLast() }
        return String(u)
    }
}
