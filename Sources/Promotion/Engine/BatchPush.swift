internal import Foundation

/// The service's batching (issue 13, defect 8): queued promotions of several models that go to the same `push`
/// environment of one repository are carried by one commit, with one trailer block per model (pull requests stay
/// one per model and environment). Each promotion is decided on its own first (order, gates, whether the branch
/// already holds it); only those whose decision is to push are batched, and the rest run as usual.
extension PromotionEngine {
    /// Pushes, for every `push` environment two or more of `records` target, one commit carrying each of their
    /// changes, and records a `pushed` step, the ledger and the proposal for each. Returns, per promotion id, the
    /// environments pushed (``PromotionOptions/pushedTogether``): running the promotions afterwards finds those
    /// environments holding their versions and moves on. A failure of the repository or the store is the batch's and is
    /// thrown (the service tries the batch again); a model that cannot be decided is left out to run alone.
    @discardableResult
    public func pushTogether(_ records: [PromotionRecord]) async throws -> [String: Set<String>] {
        var pushed: [String: Set<String>] = [:]
        for env in config.environments where env.mode == .push {
            let members = records.filter { ((try? targets(for: $0.request)) ?? []).contains { $0.name == env.name } }
            guard members.count > 1 else { continue }
            var batch: [(run: Run, observed: Run.Observed)] = []
            var paths = Set<String>()
            var fetched: Set<String> = []
            for record in members {
                var run = Run(engine: self, record: record, options: PromotionOptions(origin: record.origin))
                run.fetched = fetched  // The repository is fetched once for the whole batch.
                defer { fetched = run.fetched }
                let observed: Run.Observed
                do { observed = try await run.observe(env) } catch let error as PromotionError where error.kind != .transport {
                    continue  // A model that cannot be decided here (unknown, refused spec, not allowed) runs alone and fails there.
                }
                // A repository or store failure is the whole batch's: it is thrown, and the batch is tried again.
                guard let plan = observed.plan, ProposalDecision.decide(observed.facts) == [.pushCommit, .recordLive],
                    paths.insert(plan.path).inserted
                else { continue }
                batch.append((run, observed))
            }
            guard batch.count > 1, let repo = batch.first?.observed.repo else { continue }
            if try await push(batch, env: env, repo: repo) {
                for member in batch { pushed[member.run.record.id, default: []].insert(env.name) }
            }
        }
        return pushed
    }

    /// One commit for `batch` on `env`'s branch (re-planned on a new tip after a stale push); false when the branch
    /// already held every change.
    private func push(_ batch: [(run: Run, observed: Run.Observed)], env: EnvironmentSettings, repo: any GitOpsRepository) async throws -> Bool {
        let members = batch.map { (request: $0.run.request, id: $0.run.record.id, live: $0.observed.live) }
        let config = self.config
        let outcome = try await Run.updating(env.repository.branch, in: env) {
            try await repo.update(branch: env.repository.branch, base: nil, policy: .fastForwardOnly) { snapshot in
                var changes: [String: Data?] = [:]
                var messages: [String] = []
                for member in members {
                    guard let plan = try SpecPlanner.plan(snapshot: snapshot, config: config, environment: env, request: member.request)
                    else { continue }
                    let review = ReviewContext(
                        request: member.request, environment: env.name, previous: Run.previous(plan.previousValue, live: member.live),
                        files: [.init(path: plan.path, diff: plan.diff)], onboardedFrom: plan.onboardedFrom, promotionID: member.id)
                    changes[plan.path] = plan.new
                    let template = try SpecPlanner.template(DefaultTemplates.commitMessageFile, in: snapshot) ?? DefaultTemplates.commitMessage
                    messages.append(try review.commitMessage(template: template))
                }
                guard !changes.isEmpty else { return nil }
                return CommitRequest(message: Self.batchMessage(messages, environment: env.name), changes: changes, author: config.author)
            }
        }
        guard case .pushed(let commit, _, _) = outcome else { return false }
        for (run, observed) in batch {
            try await store.appendStep(PromotionStep(
                environment: env.name, action: .pushed, commit: commit,
                detail: "pushed to \(env.repository.branch) with \(batch.count - 1) other model(s) in one commit", at: now()),
                to: run.record.id)
            try await run.recordBatched(observed, commit: commit)
        }
        return true
    }

    /// One message for several models' commit messages: a subject naming them, each message's body, then every
    /// model's trailer block in one final paragraph (so that `git interpret-trailers` reads them all).
    static func batchMessage(_ messages: [String], environment: String) -> String {
        var bodies: [String] = []
        var trailers: [String] = []
        var subjects: [String] = []
        for message in messages {
            let lines = message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            subjects.append(lines.first ?? "")
            bodies.append(lines.filter { !$0.hasPrefix("Promote-") }.joined(separator: "\n").trimmingWhitespace())
            trailers += lines.filter { $0.hasPrefix("Promote-") }
        }
        let subject = "Promote \(messages.count) models to \(environment)"
        return ([subject] + bodies).joined(separator: "\n\n") + "\n\n" + trailers.joined(separator: "\n") + "\n"
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
