/// An environment's `verify:` (DESIGN.md sections 1a and 3): the checks that make a live version *verified* there.
/// Every configured check must hold on every sample, taken every ``every``, for ``holdFor`` without a break.
public struct VerifySettings: Sendable, Hashable {
    /// An Argo CD application that must be `Synced` at the promoted commit (or a descendant) and `Healthy`.
    public struct ArgoCD: Sendable, Hashable {
        /// The Argo CD server's base URL, e.g. `https://argocd.example` (the client adds `/api/v1/...`).
        public var url: String
        /// The application's name, templated with `{model}` and `{env}`.
        public var application: String
        /// The environment variable that holds the bearer token (never the token itself).
        public var tokenEnv: String

        public init(url: String, application: String, tokenEnv: String) {
            self.url = url
            self.application = application
            self.tokenEnv = tokenEnv
        }
    }

    /// One PromQL query and what its every result value must satisfy.
    public struct PrometheusQuery: Sendable, Hashable {
        /// The check's name, shown when it fails (`error-rate`).
        public var name: String
        /// The PromQL expression, templated with `{model}`, `{env}` and `{version}`.
        public var query: String
        /// The expectation in the gates' comparison syntax against a constant (`< 0.01`).
        public var comparison: MetricGate.Comparison
        public var threshold: Double
        /// The expectation as written in config.
        public var expect: String

        public init(name: String, query: String, comparison: MetricGate.Comparison, threshold: Double, expect: String) {
            self.name = name
            self.query = query
            self.comparison = comparison
            self.threshold = threshold
            self.expect = expect
        }

        /// True when `value` meets the expectation.
        public func holds(_ value: Double) -> Bool { comparison.holds(value, threshold) }
    }

    /// A Prometheus server and the queries asked of it (HTTP API, `/api/v1/query`).
    public struct Prometheus: Sendable, Hashable {
        /// The server's base URL, e.g. `http://prometheus:9090`.
        public var url: String
        public var queries: [PrometheusQuery]
        /// The environment variable that holds a bearer token, if the server wants one.
        public var tokenEnv: String?

        public init(url: String, queries: [PrometheusQuery], tokenEnv: String? = nil) {
            self.url = url
            self.queries = queries
            self.tokenEnv = tokenEnv
        }
    }

    /// How long every check must hold without a break (`for`).
    public var holdFor: Duration
    /// How often the checks are sampled (`every`).
    public var every: Duration
    public var argoCD: ArgoCD?
    public var prometheus: Prometheus?

    public init(holdFor: Duration, every: Duration, argoCD: ArgoCD? = nil, prometheus: Prometheus? = nil) {
        self.holdFor = holdFor
        self.every = every
        self.argoCD = argoCD
        self.prometheus = prometheus
    }
}
