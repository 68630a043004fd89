/// After the state store is lost, finds the proposals still waiting for review: every open pull request on a bot
/// branch (`promote/<env>/<model>`) whose hidden metadata and branch agree (the branch's head carries Promote's
/// trailers for the same model, environment and version) is recorded again as proposed, so that a reconcile right
/// after `promote ledger rebuild` sees them as wanted and closes nothing.
public struct OpenProposalAdopter: Sendable {
    public let engine: PromotionEngine

    public init(engine: PromotionEngine) { self.engine = engine }

    /// The proposed entries found, written to the store unless `write` is false (or the store already has them).
    /// Repositories are expected to be fetched already (``LedgerRebuilder`` does).
    public func adopt(write: Bool = true) async throws -> [LedgerEntry] {
        var found: [LedgerEntry] = []
        for env in engine.config.environments where env.mode == .pullRequest {
            let repo = try engine.repository(env.repository)
            let prefix = "promote/\(env.name)/"
            for pr in try await engine.forge(env).listOpenPullRequests(headPrefix: prefix) where pr.base == env.repository.branch {
                let model = String(pr.head.dropFirst(prefix.count))
                guard let metadata = ReviewContext.metadata(inBody: pr.body), metadata["model"] == model,
                    metadata["environment"] == nil || metadata["environment"] == env.name,
                    let version = metadata["version"], let uri = metadata["uri"],
                    let head = try? await repo.history(of: pr.head, touching: nil, limit: 1).first,
                    Provenance.parse(commitMessage: head.message).contains(where: {
                        $0.model == model && $0.environment == env.name && $0.version == version && $0.uri == uri
                    })
                else { continue }  // Metadata and branch disagree: nothing trusts such a pull request.
                found.append(LedgerEntry(
                    model: model, environment: env.name, version: version, uri: uri, status: .proposed, commit: head.id,
                    pullRequestNumber: pr.number, pullRequestURL: pr.url, promotionID: metadata["promotion"], recordedAt: engine.now()))
            }
        }
        guard write else { return found }
        let current = try await engine.store.ledger(model: nil, environment: nil)
        for entry in found {
            if !current.contains(where: {
                $0.model == entry.model && $0.environment == entry.environment && $0.status == .proposed
                    && $0.version == entry.version && $0.pullRequestNumber == entry.pullRequestNumber
            }) {
                try await engine.store.record(entry)
            }
            try await engine.store.saveProposal(Proposal(
                model: entry.model, version: entry.version, environment: entry.environment, uri: entry.uri, state: .pullRequestOpen,
                commit: entry.commit, pullRequestNumber: entry.pullRequestNumber, pullRequestURL: entry.pullRequestURL,
                promotionID: entry.promotionID, detail: "adopted by ledger rebuild", updatedAt: engine.now()))
        }
        return found
    }
}
