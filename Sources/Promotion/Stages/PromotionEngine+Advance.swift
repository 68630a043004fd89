public import Foundation

extension PromotionEngine {
    /// `promote advance [MODEL]` (DESIGN.md 1a), what `promote serve` runs on its schedule and after every event
    /// that can change a state. For each model: merges that happened while nobody listened are recorded; the `verify`
    /// window of every live version is sampled when due (observe the checks → ``VerificationWindow`` decides →
    /// the progress is stored), and every version verified and soaked in an environment's `from` is carried on
    /// (``StageRules/advances(environments:proposals:now:)`` → a release to that environment), until nothing moves.
    public func advance(model: String? = nil, dryRun: Bool = false, origin: String = "advance") async throws -> AdvanceReport {
        var report = AdvanceReport()
        let models = Set(try await store.proposals(model: model, environment: nil).map(\.model)).sorted()
        for name in models {
            if !dryRun {
                try await catchUpOnMerges(model: name, into: &report)
                try await sampleWindows(model: name, into: &report)
            }
            if !dryRun { try await mergeWhenGreen(model: name, origin: origin, into: &report) }
            try await carryOn(model: name, dryRun: dryRun, origin: origin, into: &report)
        }
        return report
    }

    /// Records the merge of every open promotion pull request of `model` the forge says merged.
    func catchUpOnMerges(model: String, into report: inout AdvanceReport) async throws {
        for env in config.environments where env.mode == .pullRequest {
            guard let proposed = try await store.ledger(model: model, environment: env.name).first(where: { $0.status == .proposed }),
                let number = proposed.pullRequestNumber, let forge = try? forge(env)
            else { continue }
            let pr: PullRequest
            do { pr = try await forge.pullRequest(number: number) } catch {
                report.entries.append(.init(model: model, version: proposed.version, environment: env.name, action: .failed, detail: "\(error)"))
                continue
            }
            guard pr.state == .merged else { continue }
            let live = try await Reconciler(engine: self).recordMerge(model: model, env: env, proposed: proposed, pullRequest: pr, forge: forge)
            report.entries.append(.init(model: model, version: live.version, environment: env.name, action: .merged, detail: "merged \(pr.url)"))
        }
    }

    /// Samples the `verify` checks of every live version of `model` whose window is due, and stores the outcome.
    func sampleWindows(model: String, into report: inout AdvanceReport) async throws {
        for proposal in try await store.proposals(model: model, environment: nil) where proposal.state == .live {
            guard let env = config.environment(named: proposal.environment), let verify = env.verify else { continue }
            let at = now()
            guard VerificationWindow.isDue(proposal.verification, settings: verify, now: at) else { continue }
            let verdicts = await observeChecks(verify, env: env, proposal: proposal)
            let (progress, verified) = VerificationWindow.next(proposal.verification, verdicts: verdicts, settings: verify, now: at)
            guard try await store.saveVerification(progress, model: model, version: proposal.version, environment: env.name) else { continue }
            if verified {
                var done = proposal
                done.state = .verified
                done.detail = "verified: every check held for \(DurationRange.format(VerificationWindow.seconds(verify.holdFor)))"
                done.updatedAt = at
                _ = try await store.saveProposal(done)
                try await store.audit(AuditEntry(
                    at: at, actor: "verify", action: "verified", model: model, environment: env.name, promotionID: proposal.promotionID,
                    detail: "\(proposal.version): \(verdicts.map(\.summary).joined(separator: "; "))"))
                var entry = AdvanceReport.Entry(model: model, version: proposal.version, environment: env.name, action: .verified, detail: done.detail ?? "")
                entry.checks = verdicts
                report.entries.append(entry)
            } else {
                let held = VerificationWindow.remaining(progress, settings: verify, now: at).map { "\(DurationRange.format($0.rounded(.up))) to go" }
                var entry = AdvanceReport.Entry(
                    model: model, version: proposal.version, environment: env.name, action: .sampled, detail: progress.failing ?? held ?? "sampled")
                // Passing samples while the window runs are not news; a check that starts failing (or fails for
                // another reason) is.
                if progress.failing != nil, progress.failing != proposal.verification?.failing { entry.checks = verdicts }
                report.entries.append(entry)
            }
        }
    }

    /// One sample of every check of `verify` for `proposal` (observe): a check that cannot run is a failed verdict.
    func observeChecks(_ verify: VerifySettings, env: EnvironmentSettings, proposal: Proposal) async -> [CheckVerdict] {
        var verdicts: [CheckVerdict] = []
        guard let checks = deploymentChecks else {
            return [CheckVerdict(check: "verify", passed: false, detail: "no check client is configured: the checks cannot run", couldNotRun: true)]
        }
        if let argo = verify.argoCD {
            let name = argo.applicationName(model: proposal.model, environment: env.name)
            do {
                let state = try await checks.argoCDApplication(argo, name: name)
                var reaches = false
                for candidate in [state.revision].compactMap({ $0 }) + state.revisions where !reaches {
                    reaches = await revision(candidate, reaches: proposal.commit, in: env)
                }
                verdicts.append(VerificationWindow.judge(argoCD: state, application: name, revisionReachesCommit: reaches))
            } catch let unavailable as CheckUnavailable {
                verdicts.append(VerificationWindow.judge(unavailable: unavailable, check: "argocd \(name)"))
            } catch {
                verdicts.append(CheckVerdict(check: "argocd \(name)", passed: false, detail: "could not run: \(error)", couldNotRun: true))
            }
        }
        if let prometheus = verify.prometheus {
            for query in prometheus.queries {
                do {
                    let samples = try await checks.prometheusQuery(
                        prometheus, query: query.promQL(model: proposal.model, environment: env.name, version: proposal.version))
                    verdicts.append(VerificationWindow.judge(query: query, samples: samples))
                } catch let unavailable as CheckUnavailable {
                    verdicts.append(VerificationWindow.judge(unavailable: unavailable, check: "prometheus \(query.name)"))
                } catch {
                    verdicts.append(CheckVerdict(check: "prometheus \(query.name)", passed: false, detail: "could not run: \(error)", couldNotRun: true))
                }
            }
        }
        return verdicts
    }

    /// True when `revision` is the promoted `commit` or a descendant of it on the environment's branch (git says).
    func revision(_ revision: String, reaches commit: String?, in env: EnvironmentSettings) async -> Bool {
        guard let commit else { return false }
        if revision == commit { return true }
        guard let repo = try? repository(env.repository) else { return false }
        try? await repo.fetch()
        guard let history = try? await repo.history(of: env.repository.branch, touching: nil, limit: 1_000) else { return false }
        let ids = history.map(\.id)
        guard let r = ids.firstIndex(of: revision), let c = ids.firstIndex(of: commit) else { return false }
        return r <= c  // newest first: the revision is the commit or came after it
    }

    /// Decides again every open pull request of `model` that `autoMerge` holds until its required checks are green
    /// (`checks: {required: true}`): the status is set again, and the PR merged once every check on its head passed.
    func mergeWhenGreen(model: String, origin: String, into report: inout AdvanceReport) async throws {
        let proposals = try await store.proposals(model: model, environment: nil)
        for proposal in proposals where proposal.state == .pullRequestOpen {
            guard let env = config.environment(named: proposal.environment), env.autoMerge, env.stage.checksRequired,
                StageRules.entry(version: proposal.version, into: env, proposals: proposals, now: now()).admits  // not a skip: a person merges that
            else { continue }
            let metrics = try await store.ledger(model: model, environment: env.name)
                .first { $0.status == .proposed && $0.version == proposal.version }?.metrics ?? [:]
            do {
                let request = try ReleaseRequest.validated(
                    model: model, version: proposal.version, uri: proposal.uri, metrics: metrics, environments: [env.name])
                _ = try await release(request, options: PromotionOptions(origin: origin))
                if let after = try await store.proposal(model: model, version: proposal.version, environment: env.name),
                    after.state == .live || after.state == .verified
                {
                    report.entries.append(.init(
                        model: model, version: proposal.version, environment: env.name, action: .merged,
                        detail: "every check on the head passed: merged \(after.pullRequestURL ?? "")"))
                }
            } catch {
                report.entries.append(.init(model: model, version: proposal.version, environment: env.name, action: .failed, detail: "\(error)"))
            }
        }
    }

    /// Carries every version verified (and soaked) in an environment's `from` on, until nothing moves.
    func carryOn(model: String, dryRun: Bool, origin: String, into report: inout AdvanceReport) async throws {
        var tried = Set<StageRules.Advance>()
        for _ in 0...config.environments.count {
            let proposals = try await store.proposals(model: model, environment: nil)
            // A promotion of the model already on its way into an environment (queued, or interrupted and about to
            // be resumed) decides what goes there, this version or a newer one that supersedes it: advance waits for
            // it and decides again when it has finished.
            let underway = try await store.promotions(in: [.queued, .running], limit: 1000).filter { $0.request.model == model }
            let busy = Set(underway.flatMap { ((try? targets(for: $0.request)) ?? []).map(\.name) })
            let moves = StageRules.advances(environments: config.environments, proposals: proposals, now: now()).filter { move in
                !tried.contains(move) && !busy.contains(move.environment)
            }
            guard !moves.isEmpty else { return }
            for move in moves {
                tried.insert(move)
                let metrics = try await store.ledgerHistory(model: model, environment: move.from)
                    .first { $0.version == move.version && $0.uri == move.uri }?.metrics ?? [:]
                do {
                    let request = try ReleaseRequest.validated(
                        model: model, version: move.version, uri: move.uri, metrics: metrics, environments: [move.environment])
                    let outcome = try await release(request, options: PromotionOptions(dryRun: dryRun, origin: origin))
                    let words = "verified in \(move.from)"
                    report.entries.append(.init(
                        model: model, version: move.version, environment: move.environment, action: dryRun ? .wouldEnter : .entered,
                        detail: outcome.steps.last.flatMap(\.detail).map { "\(words): \($0)" } ?? words,
                        promotionID: dryRun ? nil : outcome.record.id))
                } catch {
                    report.entries.append(.init(model: model, version: move.version, environment: move.environment, action: .failed, detail: "\(error)"))
                }
            }
            if dryRun { return }
        }
    }
}
