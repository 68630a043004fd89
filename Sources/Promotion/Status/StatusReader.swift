public import Foundation
internal import Synchronization

/// Gathers ``StatusFacts`` (observe): the store's ledger, drift and promotions, what every environment's branch
/// holds, and the titles of the open promotion pull requests. Branch readings are kept per branch tip, so a warm
/// read that finds the same tips parses nothing; with `refreshAfter`, repositories are fetched at most that often.
public final class StatusReader: Sendable {
    public let engine: PromotionEngine
    /// Seconds a fetch (and the forge's pull request titles) stay fresh; nil fetches on every read (the CLI).
    let refreshAfter: Double?
    /// Whether to ask the forge for the current titles of open pull requests.
    let askForge: Bool
    private let memo = Mutex(Memo())

    struct Memo {
        var fetchedAt: [String: Date] = [:]
        /// By environment: the tip the readings were made at, and the readings.
        var readings: [String: (commit: String, specs: [String: StatusReport.Spec])] = [:]
        var titles: [String: (at: Date, titles: [Int: String])] = [:]
    }

    public init(engine: PromotionEngine, refreshAfter: Double? = nil, askForge: Bool = true) {
        self.engine = engine
        self.refreshAfter = refreshAfter
        self.askForge = askForge
    }

    /// The facts as of now (fetching when due).
    public func facts() async throws -> StatusFacts {
        let store = engine.store
        let ledger = try await store.ledger(model: nil, environment: nil)
        let drift = try await store.drift(model: nil)
        let active = try await store.promotions(in: [.queued, .running, .awaitingReview], limit: 5000)
        var wanted = Set(engine.config.models.keys)
        wanted.formUnion(ledger.map(\.model))
        wanted.formUnion(drift.map(\.finding.model))
        wanted.formUnion(active.map(\.request.model))
        var branches: [String: StatusFacts.Branch] = [:]
        var fetched = Set<String>()
        var titles: [String: [Int: String]] = [:]
        for env in engine.config.environments {
            do {
                branches[env.name] = try await branch(env, wanted: wanted, fetched: &fetched)
            } catch {
                branches[env.name] = .init(error: "cannot read \(env.repository.branch) of \(redactUserInfo(env.repository.url)): \(error)")
            }
            if askForge, env.mode == .pullRequest, let known = await pullRequestTitles(env) { titles[env.name] = known }
        }
        var facts = StatusFacts(
            ledger: ledger, drift: drift, reconciledAt: try await store.lastReconciliation(), counts: try await store.promotionCounts(),
            active: active, branches: branches, pullRequestTitles: titles)
        facts.proposals = try await store.proposals(model: nil, environment: nil)
        facts.now = engine.now()
        return facts
    }

    func due(_ key: String, in times: KeyPath<Memo, [String: Date]>) -> Bool {
        guard let refreshAfter else { return true }
        let now = engine.now()
        return memo.withLock { memo in memo[keyPath: times][key].map { now.timeIntervalSince($0) >= refreshAfter } ?? true }
    }

    func branch(_ env: EnvironmentSettings, wanted: Set<String>, fetched: inout Set<String>) async throws -> StatusFacts.Branch {
        let repo = try engine.repository(env.repository)
        let url = env.repository.url
        if !fetched.contains(url), due(url, in: \.fetchedAt) {
            try await repo.fetch()
            let now = engine.now()
            memo.withLock { $0.fetchedAt[url] = now }
        }
        fetched.insert(url)
        guard let snapshot = try await repo.snapshot(of: env.repository.branch) else {
            return .init(error: "the branch \(env.repository.branch) does not exist")
        }
        var specs = memo.withLock { memo in memo.readings[env.name].flatMap { $0.commit == snapshot.commit ? $0.specs : nil } }
        if specs == nil {
            specs = [:]
            let discovered = SpecReading.models(in: env, snapshot: snapshot)
            let cache = SpecParseCache()
            for model in Set(discovered).union(wanted) {
                specs?[model] = SpecReading.read(model: model, env: env, config: engine.config, snapshot: snapshot, cache: cache)
            }
        } else if let known = specs, !wanted.isSubset(of: known.keys) {
            let cache = SpecParseCache()
            for model in wanted where known[model] == nil {
                specs?[model] = SpecReading.read(model: model, env: env, config: engine.config, snapshot: snapshot, cache: cache)
            }
        }
        let result = specs ?? [:]
        memo.withLock { $0.readings[env.name] = (snapshot.commit, result) }
        return .init(specs: result)
    }

    /// Titles of the open promotion pull requests of `env`, by number; nil when the forge cannot be asked.
    func pullRequestTitles(_ env: EnvironmentSettings) async -> [Int: String]? {
        if let refreshAfter {
            let now = engine.now()
            if let cached = memo.withLock({ $0.titles[env.name] }), now.timeIntervalSince(cached.at) < refreshAfter { return cached.titles }
        }
        guard let forge = try? engine.forge(env),
            let open = try? await forge.listOpenPullRequests(headPrefix: "promote/\(env.name)/")
        else { return nil }
        let titles = Dictionary(open.map { ($0.number, $0.title) }, uniquingKeysWith: { a, _ in a })
        let now = engine.now()
        memo.withLock { $0.titles[env.name] = (now, titles) }
        return titles
    }
}
