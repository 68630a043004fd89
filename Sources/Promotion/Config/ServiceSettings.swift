/// Settings of `promote serve`.
public struct ServiceSettings: Sendable, Hashable {
    /// MLflow model-registry integration.
    public struct MLflow: Sendable, Hashable {
        public var url: String
        public var secretEnv: String?
        public var tokenEnv: String?
        /// MLflow alias -> environment whose PR the alias opens (e.g. `champion: production`).
        public var aliases: [String: String]
        /// The bucket behind the server's artifact proxy (`mlflow server --artifacts-destination`): model servers
        /// cannot read `mlflow-artifacts:/` URIs, so those are rewritten onto it. Nil keeps URIs as MLflow gives them.
        public var artifactsDestination: String?
        /// When the alias and tags are written back (`writeBack:`): once the version is verified in the alias's
        /// environment (the default), or as soon as it is live there.
        public var writeBack: WriteBack = .verified

        /// `service.mlflow.writeBack`.
        public enum WriteBack: String, Sendable, Hashable, CaseIterable {
            case verified, live
        }

        public init(
            url: String, secretEnv: String? = nil, tokenEnv: String? = nil, aliases: [String: String] = [:],
            artifactsDestination: String? = nil
        ) {
            self.url = url
            self.secretEnv = secretEnv
            self.tokenEnv = tokenEnv
            self.aliases = aliases
            self.artifactsDestination = artifactsDestination
        }
    }

    /// How CDEvents are delivered from the outbox (`service.cdevents.attempts`, `service.cdevents.backoff`).
    public struct EventDelivery: Sendable, Hashable {
        /// Attempts per event and sink before it is given up (counted and kept in the outbox).
        public var attempts: Int
        /// Seconds before the second attempt; each later wait doubles, up to ``longestWait``.
        public var backoff: Double
        /// The longest wait between two attempts, in seconds.
        public var longestWait: Double

        public init(attempts: Int = 10, backoff: Double = 1, longestWait: Double = 300) {
            self.attempts = attempts
            self.backoff = backoff
            self.longestWait = longestWait
        }

        /// The wait after the `attempts`-th failed attempt.
        public func wait(afterAttempts attempts: Int) -> Double {
            min(longestWait, backoff * Double(1 << min(max(0, attempts - 1), 20)))
        }
    }

    public var listen: String
    /// `sqlite:///path`, a path, or `postgres://USER@HOST:PORT/DB[?sslmode=...]`; nil means the default under
    /// `$XDG_STATE_HOME/promote`.
    public var state: String?
    /// The environment variable holding the PostgreSQL password (else libpq's `PGPASSWORD`).
    public var statePasswordEnv: String?
    /// Seconds a replica's lease on a repository (or on the scheduled tasks) lasts unless renewed; it is renewed
    /// every third of it (DESIGN.md 8).
    public var leaseDuration: Double = 10
    /// How many lanes (repositories' queues) one replica drains at once (`maxLanes:`); more wait their turn, and
    /// other replicas take them. Bounds a replica's git, forge and memory use.
    public var maxLanes: Int = 16
    /// Environment variables holding Standard Webhooks secrets (`whsec_...`), several for rotation.
    public var intakeSecretsEnv: [String]
    /// Environment variables holding accepted bearer tokens.
    public var intakeTokensEnv: [String]
    public var mlflow: MLflow?
    /// Seconds between scheduled reconciliations; nil disables the schedule.
    public var reconcileEvery: Double?
    /// Seconds between polls of open promotion pull requests, for forges whose webhooks are not configured
    /// (no `forge.webhookSecretEnv`); nil disables polling.
    public var pollEvery: Double?
    /// HTTP endpoints that receive a CDEvent (CloudEvents 1.0, structured mode) for each merge and each drift found.
    public var eventSinks: [String]
    /// Sink URL -> the environment variable holding its Standard Webhooks secret (`whsec_...`): deliveries to that
    /// sink carry `webhook-id`, `webhook-timestamp` and `webhook-signature`.
    public var eventSinkSecretEnv: [String: String] = [:]
    /// How the outbox delivers to the sinks: attempts per event and sink, and the first wait between them.
    public var eventDelivery = EventDelivery()
    /// Who may read and promote through the API and the status page; nil: nothing configured (reads answer 401).
    public var access: AccessSettings?
    /// Seconds the status page (and `GET /v1/status`) reuse a fetch of the branches and the forge's PR titles.
    public var pageRefresh: Double = 30

    public init(
        listen: String = "127.0.0.1:8080", state: String? = nil, intakeSecretsEnv: [String] = [],
        intakeTokensEnv: [String] = [], mlflow: MLflow? = nil, reconcileEvery: Double? = 600, pollEvery: Double? = 60,
        eventSinks: [String] = []
    ) {
        self.listen = listen
        self.state = state
        self.intakeSecretsEnv = intakeSecretsEnv
        self.intakeTokensEnv = intakeTokensEnv
        self.mlflow = mlflow
        self.reconcileEvery = reconcileEvery
        self.pollEvery = pollEvery
        self.eventSinks = eventSinks
    }
}
