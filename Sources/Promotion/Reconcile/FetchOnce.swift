/// Fetches each repository at most once per reconciliation, and remembers a failed fetch so that every environment
/// kept in that repository fails with the same error instead of reading a stale mirror.
struct FetchOnce {
    private var outcomes: [String: (any Error)?] = [:]

    /// Fetches `repo` unless `url` was fetched already; true when it fetched. Throws the fetch's error, now or again.
    mutating func fetch(_ repo: any GitOpsRepository, url: String) async throws -> Bool {
        if let outcome = outcomes[url] {
            if let error = outcome { throw error }
            return false
        }
        do {
            try await repo.fetch()
            outcomes[url] = .some(nil)
            return true
        } catch {
            outcomes[url] = .some(error)
            throw error
        }
    }
}
