/// One environment of the promotion path (staging, production, ...), with defaults already resolved.
public struct EnvironmentSettings: Sendable, Hashable {
    /// How a change reaches the environment.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Commit on the environment's branch and push.
        case push
        /// Commit on the bot's branch and open or update a pull request.
        case pullRequest = "pull-request"
    }

    /// What the reconciler does about differences between the ledger and the repository.
    public enum DriftPolicy: String, Sendable, Hashable, CaseIterable {
        /// Report only.
        case report
        /// Repair what the bot itself lost (a reverted push, a closed PR); report manual edits.
        case repair
        /// Repair everything, manual edits included.
        case enforce
    }

    public var name: String
    /// The spec path template, e.g. `environments/staging/{model}.yaml` (`{model}`, `{env}`).
    public var path: String
    public var mode: Mode
    public var drift: DriftPolicy
    public var repository: RepositorySettings
    public var forge: ForgeSettings
    public var labels: [String]
    public var reviewers: [String]
    public var gates: [MetricGate]
    /// Open production pull requests as drafts.
    public var draft: Bool
    /// Merge the pull request as soon as the forge allows (opt-in).
    public var autoMerge: Bool
    /// The checks that make a live version verified here (nil: verified as soon as it is live).
    public var verify: VerifySettings?
    /// `from`, `promotion`, `soak` and `checks` (DESIGN.md 1a).
    public var stage: StageSettings

    public init(
        name: String, path: String, mode: Mode, drift: DriftPolicy = .report, repository: RepositorySettings,
        forge: ForgeSettings, labels: [String] = [], reviewers: [String] = [], gates: [MetricGate] = [],
        draft: Bool = false, autoMerge: Bool = false, verify: VerifySettings? = nil,
        stage: StageSettings = StageSettings()
    ) {
        self.name = name
        self.path = path
        self.mode = mode
        self.drift = drift
        self.repository = repository
        self.forge = forge
        self.labels = labels
        self.reviewers = reviewers
        self.gates = gates
        self.draft = draft
        self.autoMerge = autoMerge
        self.verify = verify
        self.stage = stage
    }

    /// The branch the bot owns for `model`'s pull requests in this environment.
    public func botBranch(for model: String) -> String { "promote/\(name)/\(model)" }
}
