public import Foundation
internal import Synchronization

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
    /// The sources of the environments' `verify` checks (nil: none wired; a live version with checks then waits,
    /// and `status` says the checks cannot run).
    public var deploymentChecks: (any DeploymentChecks)? = nil

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
        } catch where !options.dryRun && isTransientFailure(error) {
            // Nothing permanent happened: the proposals stay where they were; the promotion waits for a retry.
            let message = String(describing: error)
            try? await store.setState(.queued, detail: "will retry: \(message)", of: record.id, now: now())
            try? await store.audit(AuditEntry(
                at: now(), actor: options.origin, action: "retry", model: record.request.model,
                environment: (error as? PromotionError)?.environment, promotionID: record.id, detail: message))
            throw error
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
    /// The repositories this run has fetched (once each).
    var fetched: Set<String> = []
    /// Environments this run made verified (a dry run stores nothing: the stage rules read them from here).
    var verifiedInRun: Set<String> = []
    /// Environments this run enters by skipping the stage rules (`--skip-stages --reason`).
    var skippedIn: Set<String> = []

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
            guard try await mayEnter(env) else { break }
            switch try await promote(env) {
            case .open: awaitingReview = true
            case .live: if Self.liveState(env) == .verified { verifiedInRun.insert(env.name) }
            case .supersededBy(let why): superseded = why
            }
            if superseded != nil { break }  // an overtaken version goes no further
        }
        guard !options.dryRun else { return }
        let state: PromotionState = superseded != nil ? .superseded : awaitingReview ? .awaitingReview : .done
        try await store.setState(state, detail: superseded, of: record.id, now: engine.now())
    }

    // MARK: - Stages

    /// The stage rules (``StageRules``) for this version and `env`: true to go on. A version not verified (or not
    /// soaked) in `from` is refused when the request names `env`, and waits there (a `waiting` step, the rest of
    /// the path left to `promote advance`) when it follows the default path. Rollbacks and repairs are not staged.
    mutating func mayEnter(_ env: EnvironmentSettings) async throws -> Bool {
        guard intent == .promote, env.stage.from != nil else { return true }
        let proposals = try await store.proposals(model: request.model, environment: nil)
        let entry = StageRules.entry(
            version: request.version, into: env, proposals: proposals, now: engine.now(), skipReason: request.skipStagesReason,
            verifiedInRun: verifiedInRun)
        let words = StageRules.describe(entry, version: request.version, environment: env.name)
        switch entry {
        case .allowed:
            return true
        case .skipped:
            skippedIn.insert(env.name)
            if !options.dryRun {
                try await store.audit(AuditEntry(
                    at: engine.now(), actor: options.origin, action: "skip-stages", model: request.model, environment: env.name,
                    promotionID: record.id, detail: words))
            }
            return true
        case .notVerified, .soaking:
            guard request.environments == nil else {
                throw PromotionError(
                    .notVerified, environment: env.name,
                    "\(request.model) \(words); promote it there first, or pass --skip-stages --reason TEXT")
            }
            if !options.dryRun {
                try await store.appendStep(PromotionStep(environment: env.name, action: .waiting, detail: words, at: engine.now()), to: record.id)
            }
            return false
        }
    }

    /// The state a version reaches when it is live in `env`: `verified` at once when the environment has no
    /// `verify` checks, else `live` until its window passes.
    static func liveState(_ env: EnvironmentSettings) -> ProposalState { env.verify == nil ? .verified : .live }

    // MARK: - Observe → decide → act, one environment at a time

    /// How one environment's part ended (`supersededBy` says why, in words).
    enum Outcome { case live, open, supersededBy(String) }

    /// What was read of one environment, once: the facts of the decision and what its actions need.
    struct Observed {
        var env: EnvironmentSettings
        var repo: any GitOpsRepository
        var forge: (any ForgeClient)?
        var live: LedgerEntry?
        var gateResults: [GateResult]
        var base: any RepositorySnapshot
        /// The change on the base tip (nil: the environment's branch already holds the version).
        var plan: SpecPlan?
        var pullRequest: PullRequest?
        /// Where the version already runs before this environment (the PR body says since when).
        var staged: ReviewContext.Staged?
        var facts: ProposalFacts
    }

    /// One environment: observe, decide, act.
    mutating func promote(_ env: EnvironmentSettings) async throws -> Outcome {
        let observed = try await observe(env)
        return try await act(ProposalDecision.decide(observed.facts), observed)
    }

    /// Gathers the facts of this model in `env` once: the ledger, the gates, the spec at the base tip, and for a
    /// pull-request environment the open pull request, its metadata and the bot's branch.
    mutating func observe(_ env: EnvironmentSettings) async throws -> Observed {
        let repo = try await fetchedRepository(env.repository)
        var forge: (any ForgeClient)?
        if env.mode == .pullRequest {
            let client: any ForgeClient
            do { client = try engine.forge(env) } catch {
                throw PromotionError(.notAllowed, environment: env.name, "\(error)")
            }
            if !options.dryRun { try await catchUpOnMerge(env, forge: client) }
            forge = client
        }
        let live = try await liveEntry(env)
        let gateResults = engine.config.gates(model: request.model, environment: env)
            .map { $0.evaluate(candidate: request.metrics, production: live?.metrics) }
        let branch = env.repository.branch
        guard let base = try await repo.snapshot(of: branch) else {
            throw PromotionError(.transport, environment: env.name, "branch '\(branch)' does not exist in \(redactUserInfo(env.repository.url))")
        }
        let plan = try SpecPlanner.plan(snapshot: base, config: engine.config, environment: env, request: request)
        let stored = try await store.proposals(model: request.model, environment: env.name)
        var facts = ProposalFacts(
            version: request.version, mode: env.mode, drift: env.drift, intent: intent, force: options.force,
            liveVersion: live?.version, failingGates: gateResults.filter(\.blocks).map(\.detail), branchHoldsWanted: plan == nil,
            proposal: stored.first { $0.version == request.version }?.state, labelsMissing: !env.labels.isEmpty,
            autoMerge: env.autoMerge)
        facts.overtakenByLive = live.map { $0.recordedAt > record.createdAt } ?? false
        facts.checksRequired = env.stage.checksRequired
        facts.ownStatusPasses = !gateResults.contains(where: \.blocks) && !skippedIn.contains(env.name)
        var observed = Observed(env: env, repo: repo, forge: forge, live: live, gateResults: gateResults, base: base, plan: plan, facts: facts)
        guard env.mode == .pullRequest, plan != nil, let forge else { return observed }

        let bot = env.botBranch(for: request.model)
        let pr = try await Self.forgeCall(env) { try await forge.findOpenPullRequest(head: bot, base: branch) }
        if let pr {
            let metadata = ReviewContext.metadata(inBody: pr.body)
            facts.pullRequest = .init(version: metadata?["version"], uriMatches: metadata?["uri"] == request.uri)
            facts.labelsMissing = !Set(env.labels).isSubset(of: pr.labels)
            facts.editNoticePosted = stored.contains { $0.pullRequestNumber == pr.number && $0.editNoticePosted }
        }
        if let botSnapshot = try await repo.snapshot(of: bot) {
            var holds = false
            do { holds = try SpecPlanner.plan(snapshot: botSnapshot, config: engine.config, environment: env, request: request) == nil } catch {
                holds = false  // A spec the bot's branch broke or lost: it is rebuilt (or left to its editor).
            }
            facts.botBranch = holds ? .holdsWanted : .holdsOther
            let tip = try await repo.history(of: bot, touching: nil, limit: 1).first
            facts.botBranchEdited = tip.map { !Self.isPromoteCommit($0, model: request.model, environment: env.name) } ?? false
        }
        if facts.checksRequired, let head = pr?.headSHA, facts.botBranch == .holdsWanted, !options.dryRun {
            // What autoMerge waits on: every other status and check on the head (Promote's own is decided here).
            let checks = try await Self.forgeCall(env) { try await forge.commitChecks(on: head) }
            facts.headChecksGreen = checks.allSatisfy { $0.context == Self.statusContext || $0.state == .success }
        }
        observed.pullRequest = pr
        observed.staged = try await stagedEntry(before: env)
        observed.facts = facts
        return observed
    }

    /// The context of Promote's own commit status (`checks: {required: true}`).
    static let statusContext = "promote"

    /// Promote's commit status on the PR head: the gate verdicts and where the version stands in the stages.
    func commitStatus(_ o: Observed) -> CommitStatus {
        let gates = o.gateResults.isEmpty ? "no gates" : o.gateResults.contains(where: \.blocks)
            ? "gates failed (forced): " + o.gateResults.filter(\.blocks).map(\.gate.metric).joined(separator: ", ")
            : "gates passed"
        let stages: String
        if skippedIn.contains(o.env.name), let reason = request.skipStagesReason {
            stages = "stages skipped: \(reason)"
        } else if let from = o.env.stage.from {
            stages = "verified in \(from)"
        } else {
            stages = "entry point"
        }
        return CommitStatus(
            context: Self.statusContext, state: o.facts.ownStatusPasses ? .success : .failure, description: "\(gates); \(stages)")
    }

    /// True when Promote wrote `commit` for `model` in `environment` (its provenance trailers say so).
    static func isPromoteCommit(_ commit: CommitInfo, model: String, environment: String) -> Bool {
        Provenance.parse(commitMessage: commit.message).contains { $0.model == model && $0.environment == environment }
    }

    /// What the request wants of an environment: a forward promotion, a person's rollback, or a repair.
    var intent: ProposalFacts.Intent {
        guard options.isRollback else { return .promote }
        return options.origin == "reconcile" ? .restore : .rollBack
    }

    /// Performs the decided actions in order, recording each outcome before the next.
    mutating func act(_ actions: [ProposalAction], _ o: Observed) async throws -> Outcome {
        let env = o.env
        if options.dryRun { return try preview(actions, o) }
        var outcome = Outcome.live
        var head: String?
        var pullRequest = o.pullRequest
        var prAction = PromotionStep.Action.pullRequestUnchanged
        for action in actions {
            switch action {
            case .refuse(let kind, let reason):
                throw refusal(kind, reason, env)
            case .holdForPerson(let reason):
                throw PromotionError(.heldForPerson, environment: env.name, "\(pullRequest?.url ?? env.botBranch(for: request.model)): \(reason)")
            case .yieldToNewer(let newer):
                outcome = try await yield(
                    env, step: "pull request already proposes newer \(newer)", why: "a pull request for \(newer) is already open",
                    pullRequest: pullRequest)
            case .yieldToLive(let newer):
                let why = "\(newer), newer, went live in \(env.name) after this version was requested"
                outcome = try await yield(env, step: why, why: why, pullRequest: nil)
            case .recordLive:
                try await recordLive(o, commit: head)
            case .pushCommit:
                head = try await pushCommit(o)
            case .buildBotBranch:
                head = try await buildBotBranch(o)
                prAction = .pullRequestUpdated
            case .openPullRequest:
                guard let forge = o.forge else { continue }
                let text = try review(o)
                let opened = try await Self.forgeCall(env) {
                    try await forge.createPullRequest(NewPullRequest(
                        title: text.title, body: text.body, head: env.botBranch(for: request.model), base: env.repository.branch, draft: env.draft))
                }
                pullRequest = opened
                prAction = .pullRequestOpened
                try await saveProposal(env, .pullRequestOpen, commit: head, pullRequest: opened)
                if !env.reviewers.isEmpty {
                    try await Self.forgeCall(env) { try await forge.requestReviewers(env.reviewers, on: opened.number) }
                }
            case .addLabels:
                guard let number = pullRequest?.number, let forge = o.forge else { continue }
                try await Self.forgeCall(env) { try await forge.addLabels(env.labels, to: number) }
            case .updatePullRequest:
                guard let existing = pullRequest, let forge = o.forge else { continue }
                let text = try review(o)
                if existing.title != text.title || existing.body != text.body {
                    pullRequest = try await Self.forgeCall(env) {
                        try await forge.updatePullRequest(number: existing.number, title: text.title, body: text.body)
                    }
                }
                prAction = .pullRequestUpdated
            case .noticeEdit:
                guard let pr = pullRequest, let forge = o.forge else { continue }
                try await Self.forgeCall(env) {
                    try await forge.comment(ProposalAction.editNotice(branch: env.botBranch(for: request.model)), on: pr.number)
                }
                let version = ReviewContext.metadata(inBody: pr.body)?["version"] ?? request.version
                try await store.saveProposal(Proposal(
                    model: request.model, version: version, environment: env.name, uri: request.uri, state: .pullRequestOpen,
                    pullRequestNumber: pr.number, pullRequestURL: pr.url, detail: "pr-edited: a person's commit is left alone",
                    editNoticePosted: true, updatedAt: engine.now()))
            case .recordProposed:
                guard let pr = pullRequest else { continue }
                outcome = .open
                try await recordProposed(o, pullRequest: pr, head: head ?? pr.headSHA, action: prAction)
            case .setCommitStatus:
                guard let forge = o.forge, let sha = head ?? pullRequest?.headSHA else { continue }
                let status = commitStatus(o)
                try await Self.forgeCall(env) { try await forge.setCommitStatus(status, on: sha) }
            case .merge:
                guard let pr = pullRequest, let forge = o.forge else { continue }
                do {
                    let merged = try await forge.merge(number: pr.number, method: .merge)
                    try await recordInLedger(env, .live, commit: merged.mergeCommitSHA, pullRequest: pr)
                    try await saveProposal(env, Self.liveState(env), commit: merged.mergeCommitSHA, pullRequest: pr)
                    try? await forge.deleteBranch(env.botBranch(for: request.model))
                    outcome = .live
                } catch {
                    // Auto-merge is best effort: the PR stays open for a person (branch protection, required checks ...).
                    try await store.audit(AuditEntry(
                        at: engine.now(), actor: options.origin, action: "auto-merge-failed", model: request.model,
                        environment: env.name, promotionID: record.id, detail: "\(error)"))
                }
            }
        }
        return outcome
    }

    /// This version gives way to a newer one in `env`: an `unchanged` step saying so, the proposal `superseded`.
    func yield(_ env: EnvironmentSettings, step: String, why: String, pullRequest: PullRequest?) async throws -> Outcome {
        try await store.appendStep(PromotionStep(
            environment: env.name, action: .unchanged, pullRequestNumber: pullRequest?.number, pullRequestURL: pullRequest?.url,
            detail: step, at: engine.now()), to: record.id)
        try await saveProposal(env, .superseded, detail: why)
        return .supersededBy(why)
    }

    /// A dry run: what the decision would write, written nowhere.
    mutating func preview(_ actions: [ProposalAction], _ o: Observed) throws -> Outcome {
        for action in actions {
            if case .refuse(let kind, let reason) = action { throw refusal(kind, reason, o.env) }
            if case .holdForPerson(let reason) = action { throw PromotionError(.heldForPerson, environment: o.env.name, reason) }
        }
        guard let plan = o.plan else {
            previews.append(.init(environment: o.env.name, plan: nil))
            return .live
        }
        let template = try SpecPlanner.template(DefaultTemplates.commitMessageFile, in: o.base) ?? DefaultTemplates.commitMessage
        let message = try context(o.env, plan: plan, live: o.live).commitMessage(template: template)
        guard o.env.mode == .pullRequest else {
            previews.append(.init(environment: o.env.name, plan: plan, commitMessage: message))
            return .live
        }
        let text = try review(o)
        previews.append(.init(environment: o.env.name, plan: plan, pullRequestTitle: text.title, pullRequestBody: text.body, commitMessage: message))
        return .open
    }

    /// The error a refusal throws, with what to do about it.
    func refusal(_ kind: PromotionError.Kind, _ reason: String, _ env: EnvironmentSettings) -> PromotionError {
        switch kind {
        case .olderVersion:
            return PromotionError(
                kind, environment: env.name,
                "\(request.model) \(reason); to go back, run: promote rollback \(request.model) --env \(env.name) --to \(request.version)")
        case .gateFailed:
            let what = env.mode == .push ? "push" : "open the pull request"
            return PromotionError(kind, environment: env.name, "\(reason) (use --force to \(what) anyway)")
        default:
            return PromotionError(kind, environment: env.name, reason)
        }
    }

    /// The environment's branch holds the version: an `unchanged` step (unless this run pushed it), the ledger and
    /// the proposal say live.
    mutating func recordLive(_ o: Observed, commit pushed: String?) async throws {
        let env = o.env
        let commit = pushed ?? o.base.commit
        let batched = options.pushedTogether.contains(env.name)
        if pushed == nil, !batched {
            previews.append(.init(environment: env.name, plan: nil))
            try await store.appendStep(PromotionStep(
                environment: env.name, action: .unchanged, commit: commit, detail: "\(env.repository.branch) already runs \(request.version)",
                at: engine.now()), to: record.id)
        }
        if o.live?.version != request.version || o.live?.uri != request.uri {
            try await recordInLedger(env, .live, commit: commit)
        }
        // Without `verify` checks a live version is verified at once; with them, the window decides (DESIGN.md 1a).
        try await saveProposal(env, Self.liveState(env), commit: commit)
        if pushed == nil, !batched {
            try await store.audit(AuditEntry(
                at: engine.now(), actor: options.origin, action: PromotionStep.Action.unchanged.rawValue, model: request.model,
                environment: env.name, promotionID: record.id, detail: "\(env.repository.branch) already runs \(request.version)"))
        }
    }

    /// Commits the change on the environment's branch and pushes it (fast-forward only; a stale push is re-planned
    /// on the new tip by the repository).
    mutating func pushCommit(_ o: Observed) async throws -> String {
        let env = o.env, branch = env.repository.branch
        let box = PlanBox()
        let engine = self.engine, request = self.request, promotionID = record.id, isRollback = options.isRollback, live = o.live
        let skipped = skippedIn.contains(env.name) ? request.skipStagesReason : nil
        let outcome = try await Self.updating(branch, in: env) {
            try await o.repo.update(branch: branch, base: nil, policy: .fastForwardOnly) { snapshot in
                guard let plan = try SpecPlanner.plan(snapshot: snapshot, config: engine.config, environment: env, request: request) else {
                    return nil
                }
                box.set(plan)
                var review = ReviewContext(
                    request: request, environment: env.name, previous: Run.previous(plan.previousValue, live: live),
                    files: [.init(path: plan.path, diff: plan.diff)], onboardedFrom: plan.onboardedFrom,
                    isRollback: isRollback, promotionID: promotionID)
                review.skippedStages = skipped
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
        try await saveProposal(env, .pushed, commit: commit)
        try await store.audit(AuditEntry(
            at: engine.now(), actor: options.origin, action: step.action.rawValue, model: request.model, environment: env.name,
            promotionID: record.id, detail: step.detail ?? ""))
        return commit
    }

    /// (Re)builds the bot's branch on the base tip with the change (force with lease: the bot owns it).
    func buildBotBranch(_ o: Observed) async throws -> String {
        let env = o.env, bot = env.botBranch(for: request.model), base = env.repository.branch
        let engine = self.engine, request = self.request
        let messageTemplate = try SpecPlanner.template(DefaultTemplates.commitMessageFile, in: o.base) ?? DefaultTemplates.commitMessage
        let message = try review(o).context.commitMessage(template: messageTemplate)
        let planned = (tip: o.base.commit, plan: o.plan)
        let outcome = try await Self.updating(bot, in: env) {
            try await o.repo.update(branch: bot, base: base, policy: .forceWithLease) { snapshot in
                // The base has usually not moved since it was planned: no second parse and edit then.
                let current = snapshot.commit == planned.tip
                    ? planned.plan : try SpecPlanner.plan(snapshot: snapshot, config: engine.config, environment: env, request: request)
                guard let current else { return nil }
                return CommitRequest(message: message, changes: [current.path: current.new], author: engine.config.author)
            }
        }
        switch outcome {
        case .unchanged(let tip): return tip
        case .pushed(let id, _, _): return id
        }
    }

    /// The pull request's title and body for this version (and the context they were rendered from).
    func review(_ o: Observed) throws -> (title: String, body: String, context: ReviewContext) {
        guard let plan = o.plan else { throw PromotionError(.specRefused, environment: o.env.name, "nothing to propose") }
        var review = context(o.env, plan: plan, live: o.live)
        review.gateResults = o.gateResults
        review.gatesOverridden = o.gateResults.contains(where: \.blocks)
        if let proposed = o.facts.pullRequest?.version, proposed != request.version {
            // The same pull request is updated: it proposed another version until now.
            review.superseded = [.init(version: proposed, url: nil)]
        }
        review.staged = o.staged
        let title = try review.pullRequestTitle(
            template: try SpecPlanner.template(DefaultTemplates.pullRequestTitleFile, in: o.base) ?? DefaultTemplates.pullRequestTitle)
        let body = try review.pullRequestBody(
            template: try SpecPlanner.template(DefaultTemplates.pullRequestBodyFile, in: o.base) ?? DefaultTemplates.pullRequestBody)
        return (title, body, review)
    }

    /// The version is proposed in `pr`: the step, the ledger, the proposal, older promotions superseded, the audit.
    mutating func recordProposed(_ o: Observed, pullRequest pr: PullRequest, head: String?, action: PromotionStep.Action) async throws {
        let env = o.env
        previews.append(.init(environment: env.name, plan: o.plan))
        try await store.appendStep(PromotionStep(
            environment: env.name, action: action, commit: head, pullRequestNumber: pr.number, pullRequestURL: pr.url,
            detail: "\(env.botBranch(for: request.model)) -> \(env.repository.branch)", at: engine.now()), to: record.id)
        let current = try await store.ledger(model: request.model, environment: env.name).first { $0.status == .proposed }
        if current?.version != request.version || current?.uri != request.uri || current?.pullRequestNumber != pr.number
            || (head != nil && current?.commit != head)
        {
            try await recordInLedger(env, .proposed, commit: head, pullRequest: pr)
        }
        try await saveProposal(env, .pullRequestOpen, commit: head, pullRequest: pr)
        try await supersedeOlderPromotions(env: env, pullRequest: pr)
        try await store.audit(AuditEntry(
            at: engine.now(), actor: options.origin, action: action.rawValue, model: request.model, environment: env.name,
            promotionID: record.id, detail: "\(pr.url) proposes \(request.version)"))
    }

    /// A batch commit (``PromotionEngine/pushTogether(_:)``) carried this version: the ledger, the proposal, the audit.
    func recordBatched(_ o: Observed, commit: String) async throws {
        if o.live?.version != request.version || o.live?.uri != request.uri {
            try await recordInLedger(o.env, .live, commit: commit)
        }
        try await saveProposal(o.env, Self.liveState(o.env), commit: commit)
        try await store.audit(AuditEntry(
            at: engine.now(), actor: options.origin, action: PromotionStep.Action.pushed.rawValue, model: request.model,
            environment: o.env.name, promotionID: record.id, detail: "pushed to \(o.env.repository.branch) in a batch commit"))
    }

    /// Moves this version's proposal in `env` forward (the store refuses a move backwards).
    func saveProposal(
        _ env: EnvironmentSettings, _ state: ProposalState, commit: String? = nil, pullRequest: PullRequest? = nil, detail: String? = nil
    ) async throws {
        try await store.saveProposal(Proposal(
            model: request.model, version: request.version, environment: env.name, uri: request.uri, state: state, commit: commit,
            pullRequestNumber: pullRequest?.number, pullRequestURL: pullRequest?.url, promotionID: record.id, detail: detail,
            updatedAt: engine.now()))
    }

    /// A forge call, its failure named as a transport failure of the environment.
    static func forgeCall<T>(_ env: EnvironmentSettings, _ call: () async throws -> T) async throws -> T {
        do { return try await call() } catch let error as PromotionError { throw error } catch {
            throw PromotionError.transport(error, environment: env.name)
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
            throw PromotionError.transport(error, environment: env.name)
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
            throw PromotionError.transport(error, environment: env.name, "push to \(branch) failed: \(error)")
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
            throw PromotionError.transport(error, "fetch of \(redactUserInfo(settings.url)) failed: \(error)")
        }
        return repo
    }

    func liveEntry(_ env: EnvironmentSettings) async throws -> LedgerEntry? {
        try await store.ledger(model: request.model, environment: env.name).first { $0.status == .live }
    }

    /// The environment `env` comes from (`from`), if it already runs this version (the PR body says since when).
    func stagedEntry(before env: EnvironmentSettings) async throws -> ReviewContext.Staged? {
        guard let previous = env.stage.from else { return nil }
        return try await store.ledger(model: request.model, environment: previous)
            .first { $0.status == .live && $0.version == request.version }
            .map { .init(environment: $0.environment, version: $0.version, since: Self.day($0.recordedAt)) }
    }

    func context(_ env: EnvironmentSettings, plan: SpecPlan, live: LedgerEntry?) -> ReviewContext {
        var review = ReviewContext(
            request: request, environment: env.name, previous: Self.previous(plan.previousValue, live: live),
            previousMetrics: live?.metrics ?? [:], files: [.init(path: plan.path, diff: plan.diff)],
            onboardedFrom: plan.onboardedFrom, isRollback: options.isRollback, promotionID: options.dryRun ? nil : record.id)
        review.skippedStages = skippedIn.contains(env.name) ? request.skipStagesReason : nil
        return review
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
final class PlanBox: Sendable {
    private let value = Mutex<SpecPlan?>(nil)

    func set(_ plan: SpecPlan) { value.withLock { $0 = plan } }
    var plan: SpecPlan? { value.withLock { $0 } }
}
