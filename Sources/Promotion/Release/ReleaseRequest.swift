/// "Model M version V is ready at URI": what CI, the CLI or a registry asks Promote to roll out.
/// Built only through ``ReleaseRequest/validated(model:version:uri:metrics:source:idempotencyKey:environments:)``,
/// so every instance obeys ``InputRules``.
public struct ReleaseRequest: Sendable, Hashable, Codable {
    /// Where the model version came from, for the PR body and the commit trailers.
    public struct Source: Sendable, Hashable, Codable {
        public var commit: String?
        public var runURL: String?
        public var pipeline: String?

        public init(commit: String? = nil, runURL: String? = nil, pipeline: String? = nil) {
            self.commit = commit
            self.runURL = runURL
            self.pipeline = pipeline
        }

        /// True when nothing is known of the source.
        public var isEmpty: Bool { commit == nil && runURL == nil && pipeline == nil }
    }

    public let model: String
    public let version: String
    public let uri: String
    /// Metric name -> value, e.g. `accuracy: 0.93`.
    public let metrics: [String: Double]
    public let source: Source
    /// The same key again means the same promotion. Defaults to ``identity``: model, version, URI and the target
    /// environments, so that `--to staging` and later `--to production` for one version are two promotions.
    public let idempotencyKey: String
    /// Restricts the rollout to these environments; nil means the configured default path.
    public let environments: [String]?
    /// `--skip-stages --reason TEXT`: enter the environments although the version is not verified in their `from`
    /// (DESIGN.md 1a); the reason goes to the audit log, the PR body and a `Promote-Skipped-Stages` trailer.
    public let skipStagesReason: String?

    private init(
        model: String, version: String, uri: String, metrics: [String: Double], source: Source,
        idempotencyKey: String, environments: [String]?, skipStagesReason: String?
    ) {
        self.model = model
        self.version = version
        self.uri = uri
        self.metrics = metrics
        self.source = source
        self.idempotencyKey = idempotencyKey
        self.environments = environments
        self.skipStagesReason = skipStagesReason
    }

    /// Checks every field and returns the request, or throws ``InvalidRelease`` listing every failing field.
    /// Configuration-dependent checks (allowed URI prefixes, known environments) are ``ReleaseRequest/problems(against:)``.
    public static func validated(
        model: String, version: String, uri: String, metrics: [String: Double] = [:], source: Source = Source(),
        idempotencyKey: String? = nil, environments: [String]? = nil, skipStagesReason: String? = nil
    ) throws(InvalidRelease) -> ReleaseRequest {
        var problems: [FieldProblem] = []
        func check(_ field: String, _ problem: String?) {
            if let problem { problems.append(FieldProblem(field: field, message: problem)) }
        }
        check("model", InputRules.modelNameProblem(model))
        check("version", InputRules.versionProblem(version))
        check("uri", InputRules.uriProblem(uri))
        if metrics.count > 64 { check("metrics", "at most 64 metrics") }
        for (name, value) in metrics.sorted(by: { $0.key < $1.key }) {
            check("metrics.\(name)", InputRules.metricNameProblem(name))
            if !value.isFinite { check("metrics.\(name)", "must be a finite number") }
        }
        if let commit = source.commit { check("source.commit", InputRules.commitProblem(commit)) }
        if let url = source.runURL { check("source.runUrl", InputRules.runURLProblem(url)) }
        if let pipeline = source.pipeline { check("source.pipeline", InputRules.textProblem(pipeline, limit: 200)) }
        if let key = idempotencyKey { check("idempotencyKey", InputRules.idempotencyKeyProblem(key)) }
        if let environments {
            if environments.isEmpty { check("environments", "must name at least one environment") }
            var seen = Set<String>()
            for (i, env) in environments.enumerated() {
                check("environments[\(i)]", InputRules.environmentNameProblem(env))
                if !seen.insert(env).inserted { check("environments[\(i)]", "'\(env)' is listed twice") }
            }
        }
        if let reason = skipStagesReason {
            check("reason", InputRules.textProblem(reason, limit: 500).map { "(the --skip-stages reason) \($0)" })
        }
        guard problems.isEmpty else { throw InvalidRelease(problems: problems) }
        return ReleaseRequest(
            model: model, version: version, uri: uri, metrics: metrics, source: source,
            idempotencyKey: idempotencyKey
                ?? identity(model: model, version: version, uri: uri, environments: environments) + (skipStagesReason == nil ? "" : " skip-stages"),
            environments: environments, skipStagesReason: skipStagesReason)
    }

    /// What makes two requests the same request: model, version, URI and target environments (DESIGN.md 1a).
    /// A caller's idempotency key reused for a request with another identity is refused.
    public var identity: String { Self.identity(model: model, version: version, uri: uri, environments: environments) }

    static func identity(model: String, version: String, uri: String, environments: [String]?) -> String {
        "\(model)@\(version) \(uri)" + (environments.map { " -> " + $0.joined(separator: ",") } ?? "")
    }
}
