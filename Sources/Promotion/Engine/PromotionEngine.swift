public import Foundation

/// Rolls a model version out through the environments: edits each spec, pushes `push` environments, and opens or
/// updates the one pull request per model for the next `pull-request` environment. Every step is idempotent: run
/// again on a repository that already holds the change, it plans nothing, moves no branch and opens nothing.
///
/// The engine does no IO itself; it drives the ports it is given.
public struct PromotionEngine: Sendable {
    public let config: PromoteConfig
    public let store: any PromotionStore
    /// The repository adapter for a repository's settings (the same settings must give the same instance).
    public let repository: @Sendable (RepositorySettings) throws -> any GitOpsRepository
    /// The forge client for an environment.
    public let forge: @Sendable (EnvironmentSettings) throws -> any ForgeClient
    public let now: @Sendable () -> Date

    public init(
        config: PromoteConfig, store: any PromotionStore,
        repository: @escaping @Sendable (RepositorySettings) throws -> any GitOpsRepository,
        forge: @escaping @Sendable (EnvironmentSettings) throws -> any ForgeClient,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.config = config
        self.store = store
        self.repository = repository
        self.forge = forge
        self.now = now
    }

    /// The environments a request goes to, in order: the ones it names, else the configured default path.
    public func targets(for request: ReleaseRequest) throws(PromotionError) -> [EnvironmentSettings] {
        guard let names = request.environments else { return config.defaultPath }
        return try names.map { name throws(PromotionError) in
            guard let env = config.environment(named: name) else {
                let known = config.environments.map(\.name).joined(separator: ", ")
                throw PromotionError(.notAllowed, "unknown environment '\(name)' (configured: \(known))")
            }
            return env
        }
    }

    /// Checks what depends on configuration: known environments and the model's allowed URI prefixes.
    public func check(_ request: ReleaseRequest) throws(PromotionError) {
        _ = try targets(for: request)
        let allowed = config.model(request.model).allowedURIs
        if !allowed.isEmpty, !allowed.contains(where: { InputRules.uri(request.uri, isUnder: $0) }) {
            throw PromotionError(
                .notAllowed, "uri '\(request.uri)' is not under the allowed prefixes of \(request.model): \(allowed.joined(separator: ", "))")
        }
    }

    /// Admits the request (or finds the promotion with the same idempotency key) and runs it.
    public func release(_ request: ReleaseRequest, options: PromotionOptions = PromotionOptions()) async throws -> PromotionReport {
        try check(request)
        if options.dryRun {
            let record = PromotionRecord(
                id: "dry-run", request: request, origin: options.origin, state: .queued, createdAt: now(), updatedAt: now())
            return try await run(record, created: true, options: options)
        }
        let (record, created) = try await store.admit(request, origin: options.origin, now: now())
        if record.state == .superseded {
            return PromotionReport(record: record, created: false, previews: [], steps: [])
        }
        return try await run(record, created: created, options: options)
    }

    /// Runs (or re-runs) an admitted promotion. Safe to call again after a crash at any point.
    public func run(_ record: PromotionRecord, created: Bool, options: PromotionOptions) async throws -> PromotionReport {
        var run = Run(engine: self, record: record, options: options)
        do {
            try await run.execute()
        } catch {
            if !options.dryRun {
                let message = String(describing: error)
                let env = (error as? PromotionError)?.environment
                try? await store.appendStep(
                    PromotionStep(environment: env ?? "", action: (error as? PromotionError)?.kind == .gateFailed ? .blocked : .failed,
                                  detail: message, at: now()), to: record.id)
                try? await store.setState(.failed, detail: message, of: record.id, now: now())
                try? await store.audit(AuditEntry(
                    at: now(), actor: options.origin, action: "failed", model: record.request.model, environment: env,
                    promotionID: record.id, detail: message))
            }
            throw error
        }
        let stored = options.dryRun ? run.record : (try await store.promotion(id: record.id) ?? run.record)
        return PromotionReport(
            record: stored, created: created, previews: run.previews, steps: Array(stored.steps.dropFirst(record.steps.count)))
    }
}

/// One execution of one promotion: the mutable bookkeeping of ``PromotionEngine/run(_:created:options:)``.
struct Run {
    let engine: PromotionEngine
    var record: PromotionRecord
    let options: PromotionOptions
    var previews: [PromotionReport.Preview] = []
    private var fetched: Set<String> = []

    init(engine: PromotionEngine, record: PromotionRecord, options: PromotionOptions) {
        self.engine = engine
        self.record = record
        self.options = options
    }

    var request: ReleaseRequest { record.request }
    var store: any PromotionStore { engine.store }

    mutating func execute() async throws {
        let targets = try engine.targets(for: request)
        if !options.dryRun { try await store.setState(.running, detail: nil, of: record.id, now: engine.now()) }
        for env in targets {  // the repository's templates are checked before anything is pushed
            guard let base = try await fetchedRepository(env.repository).snapshot(of: env.repository.branch) else { continue }
            try RepositoryTemplates.check(
                in: base, review: ReviewContext(request: request, environment: env.name, isRollback: options.isRollback, promotionID: record.id),
                opensPullRequest: env.mode == .pullRequest)
        }
        var awaitingReview = false
        var superseded: String?
        for env in targets {
            switch env.mode {
            case .push:
                try await push(env)
            case .pullRequest:
                switch try await pullRequest(env) {
                case .open: awaitingReview = true
                case .merged: break
                case .supersededBy(let newer): superseded = newer
                }
            }
        }
        guard !options.dryRun else { return }
        let state: PromotionState = superseded != nil ? .superseded : awaitingReview ? .awaitingReview : .done
        try await store.setState(state, detail: superseded.map { "a pull request for \($0) is already open" }, of: record.id, now: engine.now())
    }

    // MARK: - Push environments

    mutating func push(_ env: EnvironmentSettings) async throws {
        let repo = try await fetchedRepository(env.repository)
        let live = try await liveEntry(env)
        try checkOrder(env, live: live)
        let branch = env.repository.branch
        if options.dryRun {
            let plan = try await plan(in: repo, branch: branch, env: env)
            let message = try plan.map { try context(env, plan: $0, live: live).commitMessage() }
            previews.append(.init(environment: env.name, plan: plan, commitMessage: message))
            return
        }
        let box = PlanBox()
        let engine = self.engine, request = self.request, promotionID = record.id, isRollback = options.isRollback
        let outcome = try await Self.updating(branch, in: env) {
            try await repo.update(branch: branch, base: nil, policy: .fastForwardOnly) { snapshot in
                guard let plan = try SpecPlanner.plan(snapshot: snapshot, config: engine.config, environment: env, request: request) else {
                    return nil
                }
                box.set(plan)
                let review = ReviewContext(
                    request: request, environment: env.name, previous: Run.previous(plan.previousValue, live: live),
                    files: [.init(path: plan.path, diff: plan.diff)], onboardedFrom: plan.onboardedFrom,
                    isRollback: isRollback, promotionID: promotionID)
                let template = try SpecPlanner.template(DefaultTemplates.commitMessageFile, in: snapshot) ?? DefaultTemplates.commitMessage
                return CommitRequest(message: try review.commitMessage(template: template), changes: [plan.path: plan.new], author: engine.config.author)
            }
        }
        previews.append(.init(environment: env.name, plan: box.plan))
        let step: PromotionStep
        let commit: String
        switch outcome {
        case .unchanged(let tip):
            commit = tip
            step = PromotionStep(environment: env.name, action: .unchanged, commit: tip, detail: "\(branch) already runs \(request.version)", at: engine.now())
        case .pushed(let id, _, let attempts):
            commit = id
            let retried = attempts > 1 ? " after \(attempts - 1) rejected push(es)" : ""
            step = PromotionStep(environment: env.name, action: .pushed, commit: id, detail: "pushed to \(branch)\(retried)", at: engine.now())
        }
        try await store.appendStep(step, to: record.id)
        if live?.version != request.version || live?.uri != request.uri {
            try await recordInLedger(env, .live, commit: commit)
        }
        try await store.audit(AuditEntry(
            at: engine.now(), actor: options.origin, action: step.action.rawValue, model: request.model, environment: env.name,
            promotionID: record.id, detail: step.detail ?? ""))
    }

    // MARK: - Pull-request environments

    enum PullRequestOutcome { case open, merged, supersededBy(String) }

    mutating func pullRequest(_ env: EnvironmentSettings) async throws -> PullRequestOutcome {
        let repo = try await fetchedRepository(env.repository)
        let forge: any ForgeClient
        do { forge = try engine.forge(env) } catch {
            throw PromotionError(.notAllowed, environment: env.name, "\(error)")
        }
        if !options.dryRun { try await catchUpOnMerge(env, forge: forge) }
        let live = try await liveEntry(env)
        try checkOrder(env, live: live)
        let base = env.repository.branch
        let bot = env.botBranch(for: request.model)

        // Gates, against the metrics of the version the environment runs now.
        let gateResults = env.gates.map { $0.evaluate(candidate: request.metrics, production: live?.metrics) }
        let failed = gateResults.filter(\.blocks)
        if !failed.isEmpty, !options.force {
            throw PromotionError(
                .gateFailed, environment: env.name,
                "blocked by gate(s): " + failed.map(\.detail).joined(separator: "; ") + " (use --force to open the pull request anyway)")
        }

        guard let baseSnapshot = try await repo.snapshot(of: base) else {
            throw PromotionError(.transport, environment: env.name, "branch '\(base)' does not exist in \(redactUserInfo(env.repository.url))")
        }
        guard let plan = try SpecPlanner.plan(snapshot: baseSnapshot, config: engine.config, environment: env, request: request) else {
            // The environment's branch already holds this version (merged earlier, or edited by hand).
            try await store.appendStep(PromotionStep(
                environment: env.name, action: .unchanged, commit: baseSnapshot.commit, detail: "\(base) already runs \(request.version)",
                at: engine.now()), to: record.id)
            if live?.version != request.version {
                try await recordInLedger(env, .live, commit: baseSnapshot.commit)
            }
            previews.append(.init(environment: env.name, plan: nil))
            return .merged
        }

        let existing = try await forge.findOpenPullRequest(head: bot, base: base)
        let proposed = existing.flatMap { ReviewContext.metadata(inBody: $0.body)?["version"] }
        if let proposed, proposed != request.version, VersionOrder.isOlder(request.version, than: proposed), !options.isRollback {
            // A newer version is already up for review: an old event arriving late must not regress it.
            try await store.appendStep(PromotionStep(
                environment: env.name, action: .unchanged, pullRequestNumber: existing?.number, pullRequestURL: existing?.url,
                detail: "pull request already proposes newer \(proposed)", at: engine.now()), to: record.id)
            return .supersededBy(proposed)
        }

        var review = context(env, plan: plan, live: live)
        review.gateResults = gateResults
        review.gatesOverridden = !failed.isEmpty
        if let proposed, proposed != request.version {
            // The same pull request is updated: it proposed the older version until now.
            review.superseded = [.init(version: proposed, url: nil)]
        }
        if let staged = try await stagedEntry(before: env) {
            review.staged = .init(environment: staged.environment, version: staged.version, since: Self.day(staged.recordedAt))
        }
        let title = try review.pullRequestTitle(
            template: try SpecPlanner.template(DefaultTemplates.pullRequestTitleFile, in: baseSnapshot) ?? DefaultTemplates.pullRequestTitle)
        let body = try review.pullRequestBody(
            template: try SpecPlanner.template(DefaultTemplates.pullRequestBodyFile, in: baseSnapshot) ?? DefaultTemplates.pullRequestBody)
        let messageTemplate = try SpecPlanner.template(DefaultTemplates.commitMessageFile, in: baseSnapshot) ?? DefaultTemplates.commitMessage

        if options.dryRun {
            previews.append(.init(
                environment: env.name, plan: plan, pullRequestTitle: title, pullRequestBody: body,
                commitMessage: try review.commitMessage(template: messageTemplate)))
            return .open
        }
        previews.append(.init(environment: env.name, plan: plan, pullRequestTitle: title, pullRequestBody: body))

        // The bot's branch: left alone when it already proposes exactly this; otherwise rebuilt on the base tip.
        var head: String
        var moved = false
        if let botSnapshot = try await repo.snapshot(of: bot),
            try SpecPlanner.plan(snapshot: botSnapshot, config: engine.config, environment: env, request: request) == nil
        {
            head = botSnapshot.commit
        } else {
            let engine = self.engine, request = self.request
            let message = try review.commitMessage(template: messageTemplate)
            let planned = (tip: baseSnapshot.commit, plan: plan)
            let outcome = try await Self.updating(bot, in: env) {
                try await repo.update(branch: bot, base: base, policy: .forceWithLease) { snapshot in
                    // The base has usually not moved since it was planned above: no second parse and edit then.
                    let current = snapshot.commit == planned.tip
                        ? planned.plan : try SpecPlanner.plan(snapshot: snapshot, config: engine.config, environment: env, request: request)
                    guard let current else { return nil }
                    return CommitRequest(message: message, changes: [current.path: current.new], author: engine.config.author)
                }
            }
            switch outcome {
            case .unchanged(let tip): head = tip
            case .pushed(let id, _, _): head = id; moved = true
            }
        }

        let pr: PullRequest
        let action: PromotionStep.Action
        do {
            if let existing {
                let metadata = ReviewContext.metadata(inBody: existing.body)
                let sameProposal = metadata?["version"] == request.version && metadata?["uri"] == request.uri
                if sameProposal && !moved {
                    // Already proposed (perhaps by another delivery of the same release): leave the PR alone.
                    pr = existing
                    action = .pullRequestUnchanged
                } else if existing.title != title || existing.body != body {
                    pr = try await forge.updatePullRequest(number: existing.number, title: title, body: body)
                    action = .pullRequestUpdated
                } else {
                    pr = existing
                    action = moved ? .pullRequestUpdated : .pullRequestUnchanged
                }
            } else {
                pr = try await forge.createPullRequest(NewPullRequest(title: title, body: body, head: bot, base: base, draft: env.draft))
                if !env.labels.isEmpty { try await forge.addLabels(env.labels, to: pr.number) }
                if !env.reviewers.isEmpty { try await forge.requestReviewers(env.reviewers, on: pr.number) }
                action = .pullRequestOpened
            }
        } catch {
            throw PromotionError(.transport, environment: env.name, "\(error)")
        }
        try await store.appendStep(PromotionStep(
            environment: env.name, action: action, commit: head, pullRequestNumber: pr.number, pullRequestURL: pr.url,
            detail: "\(bot) -> \(base)", at: engine.now()), to: record.id)
        try await recordInLedger(env, .proposed, commit: head, pullRequest: pr)
        try await supersedeOlderPromotions(env: env, pullRequest: pr)
        try await store.audit(AuditEntry(
            at: engine.now(), actor: options.origin, action: action.rawValue, model: request.model, environment: env.name,
            promotionID: record.id, detail: "\(pr.url) proposes \(request.version)"))

        guard env.autoMerge else { return .open }
        do {
            let merged = try await forge.merge(number: pr.number, method: .merge)
            try await recordInLedger(env, .live, commit: merged.mergeCommitSHA, pullRequest: pr)
            try? await forge.deleteBranch(bot)
            return .merged
        } catch {
            // Auto-merge is best effort: the PR stays open for a person (branch protection, required checks ...).
            try await store.audit(AuditEntry(
                at: engine.now(), actor: options.origin, action: "auto-merge-failed", model: request.model,
                environment: env.name, promotionID: record.id, detail: "\(error)"))
            return .open
        }
    }

    /// A proposal the ledger still holds may have been merged while nobody listened (no webhook, no reconcile yet):
    /// record it first, so that gates and the version order compare with what really runs.
    func catchUpOnMerge(_ env: EnvironmentSettings, forge: any ForgeClient) async throws {
        guard let proposed = try await store.ledger(model: request.model, environment: env.name).first(where: { $0.status == .proposed }),
            let number = proposed.pullRequestNumber
        else { return }
        let pr: PullRequest
        do { pr = try await forge.pullRequest(number: number) } catch {
            throw PromotionError(.transport, environment: env.name, "\(error)")
        }
        guard pr.state == .merged else { return }
        try await Reconciler(engine: engine).recordMerge(model: request.model, env: env, proposed: proposed, pullRequest: pr, forge: forge)
    }

    /// Older promotions of the same model still waiting for review in `env` are replaced by this one.
    func supersedeOlderPromotions(env: EnvironmentSettings, pullRequest: PullRequest) async throws {
        let waiting = try await store.promotions(in: [.awaitingReview], limit: 1000)
        for other in waiting where other.id != record.id && other.request.model == request.model
            && other.steps.contains(where: { $0.environment == env.name && $0.pullRequestNumber != nil })
        {
            try await store.setState(
                .superseded, detail: "superseded by \(request.version) (\(record.id)) in \(pullRequest.url)", of: other.id, now: engine.now())
        }
    }

    // MARK: - Helpers

    /// Runs a repository update, naming the environment in a refusal and the branch in a transport failure.
    static func updating(_ branch: String, in env: EnvironmentSettings, _ update: () async throws -> UpdateOutcome) async throws -> UpdateOutcome {
        do {
            return try await update()
        } catch let error as PromotionError {
            throw PromotionError(error.kind, environment: env.name, error.message)
        } catch {
            throw PromotionError(.transport, environment: env.name, "push to \(branch) failed: \(error)")
        }
    }

    /// Writes this promotion's version into the ledger for `env`.
    func recordInLedger(_ env: EnvironmentSettings, _ status: LedgerEntry.Status, commit: String?, pullRequest: PullRequest? = nil) async throws {
        try await store.record(LedgerEntry(
            model: request.model, environment: env.name, version: request.version, uri: request.uri, metrics: request.metrics,
            status: status, commit: commit, pullRequestNumber: pullRequest?.number, pullRequestURL: pullRequest?.url,
            promotionID: record.id, recordedAt: engine.now()))
    }

    mutating func fetchedRepository(_ settings: RepositorySettings) async throws -> any GitOpsRepository {
        let repo: any GitOpsRepository
        do {
            repo = try engine.repository(settings)
            if !fetched.contains(settings.url) {
                try await repo.fetch()
                fetched.insert(settings.url)
            }
        } catch {
            throw PromotionError(.transport, "fetch of \(redactUserInfo(settings.url)) failed: \(error)")
        }
        return repo
    }

    func plan(in repo: any GitOpsRepository, branch: String, env: EnvironmentSettings) async throws -> SpecPlan? {
        guard let snapshot = try await repo.snapshot(of: branch) else {
            throw PromotionError(.transport, environment: env.name, "branch '\(branch)' does not exist in \(redactUserInfo(env.repository.url))")
        }
        return try SpecPlanner.plan(snapshot: snapshot, config: engine.config, environment: env, request: request)
    }

    func liveEntry(_ env: EnvironmentSettings) async throws -> LedgerEntry? {
        try await store.ledger(model: request.model, environment: env.name).first { $0.status == .live }
    }

    /// The environment before `env` in promotion order, if it already runs this version.
    func stagedEntry(before env: EnvironmentSettings) async throws -> LedgerEntry? {
        guard let index = engine.config.environments.firstIndex(where: { $0.name == env.name }), index > 0 else { return nil }
        let previous = engine.config.environments[index - 1]
        return try await store.ledger(model: request.model, environment: previous.name)
            .first { $0.status == .live && $0.version == request.version }
    }

    func checkOrder(_ env: EnvironmentSettings, live: LedgerEntry?) throws(PromotionError) {
        guard let live, !options.isRollback, VersionOrder.isOlder(request.version, than: live.version) else { return }
        throw PromotionError(
            .olderVersion, environment: env.name,
            "\(request.model) \(request.version) is older than \(live.version), which \(env.name) runs; "
                + "to go back, run: promote rollback \(request.model) --env \(env.name) --to \(request.version)")
    }

    func context(_ env: EnvironmentSettings, plan: SpecPlan, live: LedgerEntry?) -> ReviewContext {
        ReviewContext(
            request: request, environment: env.name, previous: Self.previous(plan.previousValue, live: live),
            previousMetrics: live?.metrics ?? [:], files: [.init(path: plan.path, diff: plan.diff)],
            onboardedFrom: plan.onboardedFrom, isRollback: options.isRollback, promotionID: options.dryRun ? nil : record.id)
    }

    /// The version and URI an environment runs, from the spec's current value and what the ledger knows of it.
    static func previous(_ value: String?, live: LedgerEntry?) -> (version: String, uri: String)? {
        guard let value else { return nil }
        if let live, live.uri == value || live.version == value { return (live.version, live.uri) }
        return (SpecPlanner.versionGuess(from: value), value)
    }

    static func day(_ date: Date) -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d UTC", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }
}

/// Carries the plan out of the `@Sendable` closure a repository update calls (it may call it more than once).
final class PlanBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: SpecPlan?

    func set(_ plan: SpecPlan) { lock.withLock { value = plan } }
    var plan: SpecPlan? { lock.withLock { value } }
}
