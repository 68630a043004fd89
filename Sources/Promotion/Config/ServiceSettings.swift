/// Settings of `promote serve`.
public struct ServiceSettings: Sendable, Hashable {
    /// MLflow model-registry integration.
    public struct MLflow: Sendable, Hashable {
        public var url: String
        public var secretEnv: String?
        public var tokenEnv: String?
        /// MLflow alias -> environment whose PR the alias opens (e.g. `champion: production`).
        public var aliases: [String: String]

        public init(url: String, secretEnv: String? = nil, tokenEnv: String? = nil, aliases: [String: String] = [:]) {
            self.url = url
            self.secretEnv = secretEnv
            self.tokenEnv = tokenEnv
            self.aliases = aliases
        }
    }

    public var listen: String
    /// `sqlite:///path` or a path; nil means the default under `$XDG_STATE_HOME/promote`.
    public var state: String?
    /// Environment variables holding Standard Webhooks secrets (`whsec_...`), several for rotation.
    public var intakeSecretsEnv: [String]
    /// Environment variables holding accepted bearer tokens.
    public var intakeTokensEnv: [String]
    public var mlflow: MLflow?
    /// Seconds between scheduled reconciliations; nil disables the schedule.
    public var reconcileEvery: Double?

    public init(
        listen: String = "127.0.0.1:8080", state: String? = nil, intakeSecretsEnv: [String] = [],
        intakeTokensEnv: [String] = [], mlflow: MLflow? = nil, reconcileEvery: Double? = 600
    ) {
        self.listen = listen
        self.state = state
        self.intakeSecretsEnv = intakeSecretsEnv
        self.intakeTokensEnv = intakeTokensEnv
        self.mlflow = mlflow
        self.reconcileEvery = reconcileEvery
    }
}
