public import Foundation

/// What `promote status --json` prints and `GET /v1/status` answers (one shape; DESIGN.md section 4): per model
/// and environment, what the spec on the branch holds, what the ledger says is live, the open proposal with its
/// pull request, gate verdicts and promotion state, and the drift the last reconciliation found.
public struct StatusReport: Sendable, Hashable, Codable {
    /// One configured environment, in promotion order.
    public struct Environment: Sendable, Hashable, Codable {
        public var name: String
        public var mode: String
        public var branch: String
        /// The environment a version must be verified in first (absent: an entry point).
        public var from: String?
    }

    /// One model: every model with a spec on a branch, a declaration in `models:`, or a record in the ledger.
    public struct Model: Sendable, Hashable, Codable {
        public var model: String
        /// True when `promote.yaml` declares it under `models:`.
        public var declared: Bool
        /// Promotions of this model not finished and not yet proposed anywhere (queued or running).
        public var pending: [Pending]
        public var environments: [Cell]
    }

    /// A promotion that is queued or running.
    public struct Pending: Sendable, Hashable, Codable {
        public var id: String
        public var version: String
        public var state: String
    }

    /// One model in one environment.
    public struct Cell: Sendable, Hashable, Codable {
        public var name: String
        /// What the spec on the environment's branch holds.
        public var spec: Spec
        /// The live version the ledger records (absent: none).
        public var version: String?
        public var uri: String?
        public var commit: String?
        /// When it became live.
        public var since: Date?
        public var metrics: [String: Double]?
        public var proposed: Proposal?
        public var drift: [Drift]
        /// Where the newest version here stands in the stages (absent: no proposal here yet).
        public var stage: Stage?
    }

    /// The stages of one model in one environment (DESIGN.md 1a): the newest proposal's state, the check that
    /// keeps it from being verified, and the version waiting in `from` with its soak remaining.
    public struct Stage: Sendable, Hashable, Codable {
        /// The newest proposal here and its state (`pushed`, `pr-open`, `live`, `verified`, ...).
        public var version: String?
        public var state: String?
        public var verifiedAt: Date?
        /// The `verify` check that failed the last sample, and why (absent: none failing).
        public var failingCheck: String?
        /// Seconds the `verify` window still needs to hold (absent: not under way).
        public var verifyRemaining: Double?
        /// A version verified in `from` that may not enter yet, and the seconds of soak it still needs.
        public var waiting: String?
        public var soakRemaining: Double?
    }

    /// What a spec file holds on the branch, as of the last fetch.
    public struct Spec: Sendable, Hashable, Codable {
        public var path: String
        /// `present`, `missing` (no file) or `unreadable` (see `error`).
        public var state: String
        /// The value at the model location (a URI, an image or a version).
        public var value: String?
        /// The version that value names.
        public var version: String?
        /// The branch tip it was read at.
        public var commit: String?
        public var error: String?
    }

    /// The version proposed to a pull-request environment.
    public struct Proposal: Sendable, Hashable, Codable {
        public var version: String
        public var uri: String
        public var metrics: [String: Double]
        public var pullRequest: PullRequestRef?
        public var promotionId: String?
        /// The promotion's state (`awaiting-review`, ...), when the store still has it.
        public var state: String?
        /// When it was proposed (the pull request opened or last updated).
        public var proposedAt: Date
        public var gates: [Gate]
    }

    /// A link to a pull request.
    public struct PullRequestRef: Sendable, Hashable, Codable {
        public var number: Int
        public var url: String
        /// The title as the forge shows it now, when it was asked.
        public var title: String?
    }

    /// One gate's verdict on a proposal.
    public struct Gate: Sendable, Hashable, Codable {
        public var metric: String
        public var expression: String
        /// `passed`, `failed` or `skipped`.
        public var outcome: String
        public var detail: String
    }

    /// One finding of the last reconciliation (the fields of `promote reconcile --json`, plus when it was found).
    public struct Drift: Sendable, Hashable, Codable {
        public var kind: String
        public var expected: String
        public var actual: String
        public var action: String
        public var detail: String?
        public var seenAt: Date
    }

    public var environments: [Environment]
    public var models: [Model]
    /// How many promotions are in each state.
    public var promotions: [String: Int]
    /// When the last reconciliation that was not a dry run ran (nil: never).
    public var reconciledAt: Date?

    public init(environments: [Environment], models: [Model], promotions: [String: Int], reconciledAt: Date?) {
        self.environments = environments
        self.models = models
        self.promotions = promotions
        self.reconciledAt = reconciledAt
    }

    /// `reconciledAt` is always written (`null` before the first reconciliation).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(environments, forKey: .environments)
        try c.encode(models, forKey: .models)
        try c.encode(promotions, forKey: .promotions)
        try c.encode(reconciledAt, forKey: .reconciledAt)
    }

    /// The JSON encoding the CLI and the service share: sorted keys, RFC 3339 dates, nil fields as `null`-free.
    public func json() throws -> Data { try ReportEncoding.encoder().encode(self) }
}

/// The JSON encoder of Promote's report documents (`status`, `audit`): one place for key order and dates.
public enum ReportEncoding {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}
