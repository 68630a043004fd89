internal import Foundation

/// Keeps the repository true to what was promoted: compares, for every model and environment, what the ledger
/// says with the environment's branch and the promotion pull requests, reports every difference, and repairs what
/// the environment's drift policy allows. Repairs go through the same engine as releases (fast-forward commits
/// with provenance trailers; pull requests for pull-request environments), so a second run finds nothing to repair.
public struct Reconciler: Sendable {
    public let engine: PromotionEngine

    /// The model registry whose aliases are compared with the ledger (``RegistryReconciler``), when configured.
    public let registry: (any ModelRegistry)?

    public init(engine: PromotionEngine, registry: (any ModelRegistry)? = nil) {
        self.engine = engine
        self.registry = registry
    }

    var config: PromoteConfig { engine.config }
    var store: any PromotionStore { engine.store }

    /// One reconciliation pass: its findings, throwing the first failure when a model or environment could not be
    /// checked (the rest was still reconciled). With `dryRun`, nothing is written anywhere.
    public func run(dryRun: Bool = false) async throws -> [DriftFinding] {
        let report = try await reconcile(dryRun: dryRun)
        if let failure = report.failures.first { throw failure }
        return report.findings
    }

    /// One reconciliation pass, with what it read. Each repository is fetched once, each environment's branch read
    /// through one snapshot, each spec parsed once, and the open pull requests of a pull-request environment listed
    /// with one call (a pull request is read on its own only when it is no longer open). A model or environment that
    /// cannot be checked (an unreachable repository, a spec that no longer parses, a forge error) becomes a
    /// ``ReconcileFailure`` and the pass goes on with the others. Unless `dryRun`, the findings and failures are
    /// audited and the findings replace the previous run's in the store (`promote status` shows them); what failed
    /// keeps its previous findings there.
    public func reconcile(dryRun: Bool = false) async throws -> ReconcileReport {
        let ledger = try await store.ledger(model: nil, environment: nil)
        let cache = SpecParseCache()
        var report = ReconcileReport()
        var fetches = FetchOnce()
        for env in config.environments {
            do {
                try await reconcile(
                    env: env, ledger: ledger.filter { $0.environment == env.name }, cache: cache, fetches: &fetches, into: &report,
                    dryRun: dryRun)
            } catch {
                report.failures.append(ReconcileFailure(model: nil, environment: env.name, error: error))
            }
        }
        report.statistics.parses = cache.parses
        if let registry { try await RegistryReconciler(engine: engine, registry: registry).run(dryRun: dryRun, into: &report) }
        if dryRun {
            // A dry run did nothing, whatever the policy would have done (docs/promotion.md).
            for index in report.findings.indices { report.findings[index].action = .none }
            return report
        }
        for finding in report.findings {
            try await store.audit(AuditEntry(
                at: engine.now(), actor: "reconciler", action: "\(finding.action.rawValue):\(finding.kind.rawValue)",
                model: finding.model, environment: finding.environment,
                detail: "expected \(finding.expected), found \(finding.actual)" + (finding.detail.map { "; \($0)" } ?? "")))
        }
        for failure in report.failures {
            try await store.audit(AuditEntry(
                at: engine.now(), actor: "reconciler", action: "failed", model: failure.model, environment: failure.environment,
                detail: failure.message))
        }
        try await store.replaceDrift(report.findings + (try await unchecked(report.failures)), at: engine.now())
        return report
    }

    /// The stored findings of the models and environments this pass could not check: they stay as last seen.
    func unchecked(_ failures: [ReconcileFailure]) async throws -> [DriftFinding] {
        guard !failures.isEmpty else { return [] }
        return try await store.drift(model: nil).map(\.finding).filter { finding in
            failures.contains { $0.environment == finding.environment && ($0.model == nil || $0.model == finding.model) }
        }
    }

    /// One environment: its branch once, its open pull requests once, then every model the ledger names there.
    func reconcile(
        env: EnvironmentSettings, ledger entries: [LedgerEntry], cache: SpecParseCache, fetches: inout FetchOnce,
        into report: inout ReconcileReport, dryRun: Bool
    ) async throws {
        let repo = try engine.repository(env.repository)
        if try await fetches.fetch(repo, url: env.repository.url) { report.statistics.fetches += 1 }
        let base = try await repo.snapshot(of: env.repository.branch)
        report.statistics.snapshots += 1
        var open: [PullRequest] = []
        if env.mode == .pullRequest {
            open = try await engine.forge(env).listOpenPullRequests(headPrefix: "promote/\(env.name)/")
            report.statistics.forgeReads += 1
        }
        let pass = EnvironmentPass(env: env, repo: repo, base: base, openPullRequests: open, cache: cache, dryRun: dryRun)
        let byModel = Dictionary(grouping: entries, by: \.model)
        for model in byModel.keys.sorted() {
            report.statistics.checked += 1
            do {
                report.findings += try await check(model: model, entries: byModel[model] ?? [], pass: pass, statistics: &report.statistics)
            } catch {
                report.failures.append(ReconcileFailure(model: model, environment: env.name, error: error))
            }
        }
        if env.mode == .pullRequest {
            // Read the ledger again: the repairs above may have opened new pull requests.
            let current = try await store.ledger(model: nil, environment: env.name)
            report.findings += try await closeStalePullRequests(env: env, open: open, ledger: current, dryRun: dryRun)
        }
    }

    /// One model in one environment: its spec on the branch, then its promotion pull request.
    func check(model: String, entries: [LedgerEntry], pass: EnvironmentPass, statistics: inout ReconcileStatistics) async throws -> [DriftFinding] {
        let live = entries.first { $0.model == model && $0.status == .live }
        let proposed = entries.first { $0.model == model && $0.status == .proposed }
        var findings: [DriftFinding] = []
        if let live, let base = pass.base {
            findings += try await checkSpec(
                model: model, env: pass.env, live: live, pending: pass.env.mode == .pullRequest ? proposed : nil, snapshot: base,
                cache: pass.cache, dryRun: pass.dryRun)
        }
        if let proposed, pass.env.mode == .pullRequest {
            let missing = findings.contains { $0.kind == .specMissing }
            findings += try await checkPullRequest(model: model, proposed: proposed, pass: pass, statistics: &statistics)
                .filter { !(missing && $0.kind == .specMissing) }
        }
        return findings
    }

    // MARK: - The environment's branch

    /// The live version's spec on the environment's branch. `pending` is a newer proposal whose pull request is
    /// open in this environment: merging it sets the spec anyway, so a repair would only replace that proposal with
    /// the older live version; the drift is reported instead (the pull request's own check rebuilds it on the base).
    func checkSpec(
        model: String, env: EnvironmentSettings, live: LedgerEntry, pending: LedgerEntry?, snapshot: any RepositorySnapshot,
        cache: SpecParseCache, dryRun: Bool
    ) async throws -> [DriftFinding] {
        let wanted = try request(for: live, env: env)
        var kind = DriftFinding.Kind.specMissing
        var actual = "no spec at \(config.specPath(model: model, environment: env))"
        switch try spec(on: snapshot, env: env, request: wanted, cache: cache) {
        case .holdsWanted:
            return []
        case .missing:
            break  // The spec is gone and there is no template: spec-missing, as initialised.
        case .differs(let plan) where plan.old == nil:
            break  // The spec is gone; the template would re-create it.
        case .differs(let plan):
            actual = plan.previousValue ?? "(empty)"
            let earlier = try await store.ledgerHistory(model: model, environment: env.name)
                .filter { $0.status == .live && $0.version != live.version }
            kind = earlier.contains { $0.uri == actual || $0.version == actual } ? .behind : .manualEdit
        }
        let superseding = pending.flatMap { $0.version != live.version && $0.pullRequestNumber != nil ? $0 : nil }
        let action = DriftDecision.action(
            for: kind, policy: env.drift, canRecreate: config.model(model).template != nil, underNewerProposal: superseding != nil,
            dryRun: dryRun)
        let allowed = action != .reported
        var finding = DriftFinding(model: model, environment: env.name, kind: kind, expected: live.version, actual: actual, action: action)
        if let superseding {
            finding.detail = "\(superseding.pullRequestURL ?? "the open pull request") proposes \(superseding.version); merging it sets the spec"
        } else if !allowed {
            finding.detail = kind == .manualEdit
                ? "a person changed it; drift: enforce would restore \(live.version)"
                : kind == .specMissing && config.model(model).template == nil ? "no template to re-create it from" : "drift: \(env.drift.rawValue)"
        } else if !dryRun {
            let report = try await engine.release(wanted, options: PromotionOptions(force: true, isRollback: true, origin: "reconcile"))
            finding.detail = report.record.steps.last.map { "\($0.action.rawValue) \($0.pullRequestURL ?? $0.commit ?? "")" }
        }
        return [finding]
    }

    // MARK: - The promotion pull request

    func checkPullRequest(
        model: String, proposed: LedgerEntry, pass: EnvironmentPass, statistics: inout ReconcileStatistics
    ) async throws -> [DriftFinding] {
        guard let number = proposed.pullRequestNumber else { return [] }
        let env = pass.env, repo = pass.repo, dryRun = pass.dryRun
        let forge = try engine.forge(env)
        let pr: PullRequest
        if let listed = pass.openPullRequests.first(where: { $0.number == number }) {
            pr = listed
        } else {
            // No longer open: merged or closed. Only then is it read on its own.
            pr = try await forge.pullRequest(number: number)
            statistics.forgeReads += 1
        }
        func finding(_ kind: DriftFinding.Kind, actual: String, detail: String? = nil) -> DriftFinding {
            DriftFinding(
                model: model, environment: env.name, kind: kind, expected: proposed.version, actual: actual,
                action: DriftDecision.action(for: kind, policy: env.drift, dryRun: dryRun), detail: detail ?? pr.url)
        }
        switch pr.state {
        case .merged:
            var result = finding(.mergeUnrecorded, actual: "merged \(pr.url)")
            guard !dryRun else { return [result] }
            let recorded = try await recordMerge(model: model, env: env, proposed: proposed, pullRequest: pr, forge: forge)
            result.detail = "recorded \(recorded.version) as live from \(pr.mergeCommitSHA ?? pr.url)"
                + (pr.closedByLogin.map { ", merged by \($0)" } ?? "")
            return [result]
        case .closed:
            // Rejected by a person: reported, never re-opened; only a newer version opens a new pull request.
            let by = pr.closedByLogin.map { " by \($0)" } ?? ""
            let result = finding(.pullRequestClosed, actual: "closed \(pr.url)", detail: "\(pr.url) was closed without merge\(by): rejected")
            if !dryRun { try await recordRejection(model: model, env: env, proposed: proposed, pullRequest: pr) }
            return [result]
        case .open:
            let bot = env.botBranch(for: model)
            let metadata = ReviewContext.metadata(inBody: pr.body)
            let metadataVersion = metadata?["version"]
            let botSnapshot = try await repo.snapshot(of: bot)
            statistics.snapshots += 1
            let wanted = try request(for: proposed, env: env)
            let path = config.specPath(model: model, environment: env)
            // What the bot's branch holds instead of the wanted version (nil: it holds the wanted version).
            var botHolds: String? = botSnapshot == nil ? "\(bot) is gone" : nil
            var edited = false
            if let botSnapshot {
                switch try spec(on: botSnapshot, env: env, request: wanted, cache: pass.cache) {
                case .holdsWanted: break
                case .differs(let plan): botHolds = "\(bot) holds \(plan.previousValue ?? "something else")"
                case .missing: botHolds = "\(bot) has no spec at \(path)"
                }
                let tip = try await repo.history(of: bot, touching: nil, limit: 1).first
                edited = tip.map { !Run.isPromoteCommit($0, model: model, environment: env.name) } ?? false
            }
            // Behind base: the base branch changed the spec since the bot's branch was built, so merging would undo
            // that change (or the forge reports a conflict). Unrelated commits on the base are not drift.
            var behind = false
            if !edited, metadataVersion == proposed.version, botHolds == nil, let baseSnapshot = pass.base, let botSnapshot {
                let onBase: SpecPlan?
                switch try spec(on: baseSnapshot, env: env, request: wanted, cache: pass.cache) {
                case .holdsWanted: onBase = nil
                case .differs(let plan): onBase = plan
                case .missing:
                    // The spec was deleted from the base and there is no template: the pull request cannot be rebuilt.
                    var result = finding(
                        .specMissing, actual: "no spec at \(path) on \(env.repository.branch)",
                        detail: "\(pr.url) edits a file deleted from \(env.repository.branch); no template to re-create it from")
                    result.action = dryRun ? .none : .reported
                    return [result]
                }
                let botFile: Data? = if case .file(let data) = try botSnapshot.entry(at: path) { data } else { nil }
                // The spec as the bot's branch was built on it against the spec on the base now: a person's change
                // there, even to the very value the bot edits, would be undone by the merge or conflict with it.
                let builtOn = try botSnapshot.parent()
                let specMoved = try builtOn.map {
                    try $0.commit != baseSnapshot.commit && $0.entry(at: path) != baseSnapshot.entry(at: path)
                } ?? false
                behind = pr.mergeable == false || specMoved || (onBase != nil && onBase?.new != botFile)
            }
            let kind = DriftDecision.pullRequestKind(
                state: .open, edited: edited, proposesWanted: metadataVersion == proposed.version, branchHoldsWanted: botHolds == nil,
                behindBase: behind)
            switch kind {
            case .pullRequestEdited:
                var result = finding(.pullRequestEdited, actual: botHolds ?? "\(bot) carries a commit Promote did not write")
                if result.action == .repaired {
                    _ = try await engine.release(wanted, options: PromotionOptions(force: true, isRollback: true, origin: "reconcile"))
                    result.detail = "drift: enforce rebuilt \(bot) over a person's commit in \(pr.url)"
                } else if !dryRun {
                    try await noticeEdit(model: model, env: env, proposed: proposed, pullRequest: pr, forge: forge)
                    result.detail = "\(pr.url): a person's commit on \(bot) is left alone until it is merged or closed"
                }
                return [result]
            case .pullRequestOutdated:
                // What is outdated: the pull request's own description, or the branch it would merge.
                let actual = metadataVersion != proposed.version ? metadataVersion ?? "unknown" : botHolds ?? ""
                var result = finding(.pullRequestOutdated, actual: actual)
                if result.action == .repaired {
                    _ = try await engine.release(wanted, options: PromotionOptions(force: true, isRollback: true, origin: "reconcile"))
                    result.detail = "updated \(pr.url) to \(proposed.version)"
                }
                return [result]
            case .pullRequestBehindBase:
                var result = finding(
                    .pullRequestBehindBase,
                    actual: pr.mergeable == false ? "conflicts with \(env.repository.branch)" : "\(path) changed on \(env.repository.branch)")
                if result.action == .repaired {
                    try await rebuild(model: model, env: env, proposed: proposed, repo: repo)
                    result.detail = "rebuilt \(bot) on \(env.repository.branch)"
                }
                return [result]
            default:
                return []
            }
        }
    }

    /// What a branch holds for a wanted release.
    enum BranchSpec {
        /// The spec already holds the wanted version.
        case holdsWanted
        /// The spec holds something else; the plan would change it.
        case differs(SpecPlan)
        /// There is no spec, and no template to create it from.
        case missing
    }

    /// Reads `request`'s spec on `snapshot` (parsed once per pass through `cache`).
    func spec(on snapshot: any RepositorySnapshot, env: EnvironmentSettings, request: ReleaseRequest, cache: SpecParseCache) throws -> BranchSpec {
        do {
            guard let plan = try SpecPlanner.plan(snapshot: snapshot, config: config, environment: env, request: request, cache: cache) else {
                return .holdsWanted
            }
            return .differs(plan)
        } catch {
            if error.kind == .unknownModel { return .missing }
            throw error
        }
    }

    /// Records a merged pull request: the version the merged commit's spec holds is live (the proposal's, unless its
    /// metadata and branch disagreed: then the bot branch's own trailers name it), the promotion done, the bot's
    /// branch gone, and the merge in the audit log under `actor` (who merged it, as a webhook says), else the login
    /// the forge names, else `forge`. Returns the entry recorded.
    @discardableResult
    public func recordMerge(
        model: String, env: EnvironmentSettings, proposed: LedgerEntry, pullRequest pr: PullRequest, forge: any ForgeClient,
        actor: String? = nil
    ) async throws -> LedgerEntry {
        var live = proposed
        live.status = .live
        live.commit = pr.mergeCommitSHA
        live.pullRequestNumber = pr.number
        live.pullRequestURL = pr.url
        live.recordedAt = engine.now()
        if let merged = try await mergedProvenance(model: model, env: env, proposed: proposed, pullRequest: pr),
            merged.version != proposed.version || merged.uri != proposed.uri
        {
            live.version = merged.version
            live.uri = merged.uri
            live.metrics = [:]
        }
        try await store.record(live)
        try await store.saveProposal(Proposal(
            model: model, version: live.version, environment: env.name, uri: live.uri, state: Run.liveState(env), commit: pr.mergeCommitSHA,
            pullRequestNumber: pr.number, pullRequestURL: pr.url, promotionID: proposed.promotionID, detail: "merged \(pr.url)",
            updatedAt: engine.now()))
        if live.version != proposed.version {
            try await store.saveProposal(Proposal(
                model: model, version: proposed.version, environment: env.name, uri: proposed.uri, state: .superseded,
                pullRequestNumber: pr.number, pullRequestURL: pr.url, promotionID: proposed.promotionID,
                detail: "\(pr.url) merged \(live.version)", updatedAt: engine.now()))
        }
        if let id = proposed.promotionID { try await store.setState(.done, detail: "merged \(pr.url)", of: id, now: engine.now()) }
        try await store.audit(AuditEntry(
            at: engine.now(), actor: actor ?? pr.closedByLogin ?? "forge", action: "merged", model: model, environment: env.name,
            promotionID: proposed.promotionID, detail: "\(pr.url) merged: \(live.version) is live"))
        try? await forge.deleteBranch(env.botBranch(for: model))
        return live
    }

    /// What the merged pull request's branch really proposed, when it is not what the ledger's proposal says: the
    /// trailers of the bot branch's head (read before the branch is deleted), trusted only when the spec on the base
    /// now holds that version and not the proposal's (a PR whose metadata and branch disagreed).
    func mergedProvenance(model: String, env: EnvironmentSettings, proposed: LedgerEntry, pullRequest pr: PullRequest) async throws -> Provenance? {
        guard let repo = try? engine.repository(env.repository) else { return nil }
        try? await repo.fetch()
        guard let head = try? await repo.history(of: env.botBranch(for: model), touching: nil, limit: 1).first,
            let carried = Provenance.parse(commitMessage: head.message).first(where: { $0.model == model && $0.environment == env.name }),
            carried.version != proposed.version || carried.uri != proposed.uri,
            let base = try await repo.snapshot(of: env.repository.branch),
            let wanted = try? ReleaseRequest.validated(model: model, version: carried.version, uri: carried.uri),
            let claimed = try? ReleaseRequest.validated(model: model, version: proposed.version, uri: proposed.uri),
            try SpecPlanner.plan(snapshot: base, config: config, environment: env, request: wanted) == nil,
            try SpecPlanner.plan(snapshot: base, config: config, environment: env, request: claimed) != nil
        else { return nil }
        return carried
    }

    /// Records a pull request a person closed without merging: the proposal is rejected (never re-opened), the
    /// promotion that opened it failed with that reason.
    public func recordRejection(model: String, env: EnvironmentSettings, proposed: LedgerEntry, pullRequest pr: PullRequest) async throws {
        try await store.saveProposal(Proposal(
            model: model, version: proposed.version, environment: env.name, uri: proposed.uri, state: .rejected,
            pullRequestNumber: pr.number, pullRequestURL: pr.url, promotionID: proposed.promotionID,
            detail: "\(pr.url) was closed without merge", updatedAt: engine.now()))
        if let id = proposed.promotionID, let record = try await store.promotion(id: id), !record.state.isFinal {
            try await store.setState(.failed, detail: "rejected: \(pr.url) was closed without merge", of: id, now: engine.now())
        }
    }

    /// Tells a pull request once that a person's commit on its branch is left alone.
    func noticeEdit(model: String, env: EnvironmentSettings, proposed: LedgerEntry, pullRequest pr: PullRequest, forge: any ForgeClient) async throws {
        let stored = try await store.proposals(model: model, environment: env.name)
        guard !stored.contains(where: { $0.pullRequestNumber == pr.number && $0.editNoticePosted }) else { return }
        try await forge.comment(ProposalAction.editNotice(branch: env.botBranch(for: model)), on: pr.number)
        try await store.saveProposal(Proposal(
            model: model, version: proposed.version, environment: env.name, uri: proposed.uri, state: .pullRequestOpen,
            pullRequestNumber: pr.number, pullRequestURL: pr.url, promotionID: proposed.promotionID,
            detail: "pr-edited: a person's commit is left alone", editNoticePosted: true, updatedAt: engine.now()))
    }

    /// Re-creates the bot's branch on the base tip (force with lease: the bot owns it).
    func rebuild(model: String, env: EnvironmentSettings, proposed: LedgerEntry, repo: any GitOpsRepository) async throws {
        let wanted = try request(for: proposed, env: env)
        let config = self.config, promotionID = proposed.promotionID
        _ = try await repo.update(branch: env.botBranch(for: model), base: env.repository.branch, policy: .forceWithLease) { snapshot in
            guard let plan = try SpecPlanner.plan(snapshot: snapshot, config: config, environment: env, request: wanted) else { return nil }
            let review = ReviewContext(
                request: wanted, environment: env.name, files: [.init(path: plan.path, diff: plan.diff)], promotionID: promotionID)
            return CommitRequest(message: try review.commitMessage(), changes: [plan.path: plan.new], author: config.author)
        }
    }

    /// Open bot pull requests the ledger no longer wants (their model has nothing proposed in this environment).
    /// `open` is the environment's open bot pull requests as listed at the start of the pass.
    func closeStalePullRequests(env: EnvironmentSettings, open: [PullRequest], ledger: [LedgerEntry], dryRun: Bool) async throws -> [DriftFinding] {
        let forge = try engine.forge(env)
        let prefix = "promote/\(env.name)/"
        var findings: [DriftFinding] = []
        for pr in open where pr.base == env.repository.branch {
            let model = String(pr.head.dropFirst(prefix.count))
            let wanted = ledger.first { $0.model == model && $0.status == .proposed && $0.pullRequestNumber == pr.number }
            guard wanted == nil else { continue }
            let live = ledger.first { $0.model == model && $0.status == .live }
            let proposedVersion = ReviewContext.metadata(inBody: pr.body)?["version"] ?? "unknown"
            var finding = DriftFinding(
                model: model, environment: env.name, kind: .pullRequestOutdated, expected: live?.version ?? "nothing proposed",
                actual: proposedVersion, action: env.drift == .report ? .reported : (dryRun ? .none : .repaired), detail: pr.url)
            if env.drift != .report, !dryRun {
                try await forge.close(
                    number: pr.number,
                    comment: "Closed by Promote: \(model) \(proposedVersion) is no longer wanted in \(env.name)"
                        + (live.map { " (it runs \($0.version))." } ?? "."))
                finding.detail = "closed \(pr.url)"
            }
            findings.append(finding)
        }
        return findings
    }

    /// A release request that restores a ledger entry in one environment.
    func request(for entry: LedgerEntry, env: EnvironmentSettings) throws -> ReleaseRequest {
        try ReleaseRequest.validated(
            model: entry.model, version: entry.version, uri: entry.uri, metrics: entry.metrics, source: .init(pipeline: "reconcile"),
            idempotencyKey: "reconcile:\(env.name):\(entry.model)@\(entry.version):\(Int(engine.now().timeIntervalSince1970 * 1000))",
            environments: [env.name])
    }
}
