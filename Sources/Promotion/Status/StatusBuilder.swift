/// Builds the ``StatusReport`` from ``StatusFacts``: pure.
public enum StatusBuilder {
    /// The report for every model (or only `model`), with environments in promotion order.
    public static func report(config: PromoteConfig, facts: StatusFacts, model only: String? = nil) -> StatusReport {
        var names = Set(config.models.keys)
        names.formUnion(facts.ledger.map(\.model))
        names.formUnion(facts.drift.map(\.finding.model))
        names.formUnion(facts.active.map(\.request.model))
        for branch in facts.branches.values { names.formUnion(branch.specs.keys) }
        if let only { names = names.filter { $0 == only } }

        var ledger: [Place: [LedgerEntry]] = [:]
        for entry in facts.ledger { ledger[Place(model: entry.model, environment: entry.environment), default: []].append(entry) }
        var drift: [Place: [DriftRecord]] = [:]
        for record in facts.drift { drift[Place(model: record.finding.model, environment: record.finding.environment), default: []].append(record) }
        let promotions = Dictionary(facts.active.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let proposedIDs = Set(facts.ledger.compactMap { $0.status == .proposed ? $0.promotionID : nil })
        var pending: [String: [StatusReport.Pending]] = [:]
        for record in facts.active.sorted(by: { $0.createdAt < $1.createdAt })
        where !proposedIDs.contains(record.id) && record.state != .awaitingReview {
            pending[record.request.model, default: []].append(.init(id: record.id, version: record.request.version, state: record.state.rawValue))
        }

        let models = names.sorted().map { name in
            StatusReport.Model(
                model: name, declared: config.models[name] != nil, pending: pending[name] ?? [],
                environments: config.environments.map { env in
                    cell(
                        model: name, env: env, config: config, entries: ledger[Place(model: name, environment: env.name)] ?? [],
                        drift: drift[Place(model: name, environment: env.name)] ?? [], promotions: promotions, facts: facts)
                })
        }
        var counts: [String: Int] = [:]
        for state in PromotionState.allCases { counts[state.rawValue] = 0 }
        for count in facts.counts { counts[count.state.rawValue, default: 0] += count.count }
        return StatusReport(
            environments: config.environments.map { .init(name: $0.name, mode: $0.mode.rawValue, branch: $0.repository.branch, from: $0.stage.from) },
            models: models, promotions: counts, reconciledAt: facts.reconciledAt)
    }

    /// A model in an environment.
    struct Place: Hashable {
        var model: String
        var environment: String
    }

    static func cell(
        model: String, env: EnvironmentSettings, config: PromoteConfig, entries: [LedgerEntry], drift: [DriftRecord],
        promotions: [String: PromotionRecord], facts: StatusFacts
    ) -> StatusReport.Cell {
        let branch = facts.branches[env.name]
        let spec = branch?.specs[model]
            ?? StatusReport.Spec(
                path: config.specPath(model: model, environment: env), state: branch?.error == nil ? "missing" : "unreadable", error: branch?.error)
        let live = entries.first { $0.status == .live }
        var cell = StatusReport.Cell(
            name: env.name, spec: spec, version: live?.version, uri: live?.uri, commit: live?.commit, since: live?.recordedAt,
            metrics: live.map(\.metrics), drift: drift.map { record in
                let f = record.finding
                return .init(kind: f.kind.rawValue, expected: f.expected, actual: f.actual, action: f.action.rawValue, detail: f.detail, seenAt: record.seenAt)
            })
        if let proposed = entries.first(where: { $0.status == .proposed }) {
            let pr = proposed.pullRequestNumber.map { number in
                StatusReport.PullRequestRef(
                    number: number, url: proposed.pullRequestURL ?? "", title: facts.pullRequestTitles[env.name]?[number])
            }
            cell.proposed = .init(
                version: proposed.version, uri: proposed.uri, metrics: proposed.metrics, pullRequest: pr,
                promotionId: proposed.promotionID, state: proposed.promotionID.flatMap { promotions[$0]?.state.rawValue },
                proposedAt: proposed.recordedAt,
                gates: env.gates.map { gate in
                    let result = gate.evaluate(candidate: proposed.metrics, production: live?.metrics)
                    return .init(metric: gate.metric, expression: gate.expression, outcome: result.outcome.rawValue, detail: result.detail)
                })
        }
        cell.stage = stage(model: model, env: env, facts: facts)
        return cell
    }

    /// The stages' part of a cell: the newest proposal here (newest version that is not superseded) and the
    /// version verified in `from` still soaking before it may enter.
    static func stage(model: String, env: EnvironmentSettings, facts: StatusFacts) -> StatusReport.Stage? {
        let mine = facts.proposals.filter { $0.model == model }
        var stage = StatusReport.Stage()
        if let newest = mine.filter({ $0.environment == env.name && $0.state != .superseded })
            .max(by: { VersionOrder.isOlder($0.version, than: $1.version) })
        {
            stage.version = newest.version
            stage.state = newest.state.rawValue
            stage.verifiedAt = newest.verifiedAt
            if newest.state == .live {
                stage.failingCheck = newest.verification?.failing
                    ?? (env.verify != nil && newest.verification == nil ? "verify: no sample yet" : nil)
                if let verify = env.verify, let now = facts.now {
                    stage.verifyRemaining = VerificationWindow.remaining(newest.verification, settings: verify, now: now)
                }
            }
        }
        if let now = facts.now, let from = env.stage.from,
            let candidate = mine.filter({ $0.environment == from && $0.state == .verified })
                .max(by: { VersionOrder.isOlder($0.version, than: $1.version) }),
            !mine.contains(where: { $0.environment == env.name && $0.version == candidate.version }),
            let remaining = StageRules.soakRemaining(version: candidate.version, into: env, proposals: mine, now: now)
        {
            stage.waiting = candidate.version
            stage.soakRemaining = remaining
        }
        return stage == StatusReport.Stage() ? nil : stage
    }
}
