import Promotion
import Service

/// `promote release --json` and `promote rollback --json`: the promotion (the same document as
/// `GET /v1/promotions/{id}`) plus `created`, false when the idempotency key matched an earlier promotion.
struct ReleaseDocument: Encodable {
    var promotion: PromotionDocument
    var created: Bool

    init(_ report: PromotionReport) {
        promotion = PromotionDocument(report.record)
        created = report.created
    }

    enum CodingKeys: String, CodingKey { case created }

    func encode(to encoder: any Encoder) throws {
        try promotion.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(created, forKey: .created)
    }
}

/// `promote release --dry-run --json`: what would happen, per environment; nothing was recorded, so there is no id
/// and no state.
struct DryRunDocument: Encodable {
    struct Plan: Encodable {
        var environment: String
        /// `push`, `pull-request`, or `nothing` (the environment already runs the version).
        var wouldDo: String
        var path: String?
        var diff: String?
        var onboardedFrom: String?
        var pullRequestTitle: String?
        var pullRequestBody: String?
    }

    var dryRun = true
    var model: String
    var version: String
    var uri: String
    var plans: [Plan]

    init(_ report: PromotionReport, config: PromoteConfig) {
        let request = report.record.request
        model = request.model
        version = request.version
        uri = request.uri
        plans = report.previews.map { preview in
            let mode = config.environment(named: preview.environment)?.mode
            return Plan(
                environment: preview.environment,
                wouldDo: preview.plan == nil ? "nothing" : mode == .pullRequest ? "pull-request" : "push",
                path: preview.plan?.path, diff: preview.plan?.diff, onboardedFrom: preview.plan?.onboardedFrom,
                pullRequestTitle: preview.pullRequestTitle, pullRequestBody: preview.pullRequestBody)
        }
    }
}

/// What every command with `--json` prints on stdout when it fails: `{"error": {"kind", "message", "problems"}}`.
struct ErrorDocument: Encodable {
    struct Body: Encodable {
        /// `usage`, `config`, `invalid-release`, `forge`, `git`, `store`, `failed`.
        var kind: String
        var message: String
        /// Every problem, one a line, when there are several (a config's, a request's).
        var problems: [String]?
    }

    var error: Body

    init(kind: String, message: String, problems: [String]? = nil) {
        error = Body(kind: kind, message: message, problems: problems)
    }
}
