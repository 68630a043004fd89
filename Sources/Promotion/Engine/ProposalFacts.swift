/// What one decision sees of one model in one environment (DESIGN.md 1a, observe → decide → act): gathered once by
/// the engine, read by ``ProposalDecision/decide(_:)``. Plain values, no IO.
public struct ProposalFacts: Sendable, Hashable {
    /// What the request wants of the environment.
    public enum Intent: String, Sendable, Hashable {
        /// A new version moves forward (a release, an event).
        case promote
        /// A person asks for an earlier version (`promote rollback`).
        case rollBack = "roll-back"
        /// The reconciler puts back what the ledger says (a repair).
        case restore
    }

    /// The bot's branch of a pull-request environment.
    public enum BotBranch: Sendable, Hashable {
        /// There is none.
        case absent
        /// It proposes exactly the wanted version.
        case holdsWanted
        /// It proposes something else.
        case holdsOther
    }

    /// What the open pull request's hidden metadata proposes.
    public struct OpenPullRequest: Sendable, Hashable {
        /// The version (nil: no readable metadata).
        public var version: String?
        /// Its URI is the wanted one.
        public var uriMatches: Bool

        public init(version: String?, uriMatches: Bool) {
            self.version = version
            self.uriMatches = uriMatches
        }
    }

    public var version: String
    public var mode: EnvironmentSettings.Mode
    public var drift: EnvironmentSettings.DriftPolicy
    public var intent: Intent
    /// Open the pull request or push although a gate fails (`--force`, repairs).
    public var force: Bool
    /// The version the ledger records live in the environment.
    public var liveVersion: String?
    /// That version went live after this request was made: a newer version overtook it (two CI runs finishing
    /// close together, or events delivered out of order), rather than a person asking for an older one later.
    public var overtakenByLive: Bool = false
    /// The gates that block, in words (empty: none).
    public var failingGates: [String]
    /// The environment's branch already holds the wanted version.
    public var branchHoldsWanted: Bool
    /// The stored proposal of this version to this environment.
    public var proposal: ProposalState?
    /// The bot's branch (pull-request environments).
    public var botBranch: BotBranch
    /// The bot's branch carries a commit Promote did not write (a reviewer's): theirs.
    public var botBranchEdited: Bool
    /// The open promotion pull request, if any: the version and URI its hidden metadata propose.
    public var pullRequest: OpenPullRequest?
    /// The environment's labels are not all on the pull request (or there is none yet and labels are configured).
    public var labelsMissing: Bool
    /// Promote already told that pull request a person's commit is left alone.
    public var editNoticePosted: Bool
    /// The environment merges its pull requests itself (`autoMerge`).
    public var autoMerge: Bool
    /// `checks: {required: true}`: a `promote` commit status goes on the PR head, and `autoMerge` waits for green.
    public var checksRequired: Bool = false
    /// Every status and check on the PR's head is success (nil: not read, e.g. the head is about to move).
    public var headChecksGreen: Bool? = nil
    /// Promote's own verdict on the PR (gates passed, stages not skipped) is a pass.
    public var ownStatusPasses: Bool = true

    public init(
        version: String, mode: EnvironmentSettings.Mode, drift: EnvironmentSettings.DriftPolicy = .report,
        intent: Intent = .promote, force: Bool = false, liveVersion: String? = nil, failingGates: [String] = [],
        branchHoldsWanted: Bool = false, proposal: ProposalState? = nil, botBranch: BotBranch = .absent,
        botBranchEdited: Bool = false, pullRequest: OpenPullRequest? = nil,
        editNoticePosted: Bool = false, labelsMissing: Bool = false, autoMerge: Bool = false
    ) {
        self.version = version
        self.mode = mode
        self.drift = drift
        self.intent = intent
        self.force = force
        self.liveVersion = liveVersion
        self.failingGates = failingGates
        self.branchHoldsWanted = branchHoldsWanted
        self.proposal = proposal
        self.botBranch = botBranch
        self.botBranchEdited = botBranchEdited
        self.pullRequest = pullRequest
        self.editNoticePosted = editNoticePosted
        self.labelsMissing = labelsMissing
        self.autoMerge = autoMerge
    }
}
