/// An error of a port that means "not now": the database is locked or its disk is full. Callers answer
/// 503 with `Retry-After` (and report not ready) instead of failing for good.
public protocol TemporarilyUnavailable: Error {
    var isTemporarilyUnavailable: Bool { get }
}

/// A store that can prove it can write right now, for readiness checks.
public protocol WriteProbing: Sendable {
    /// Writes a tiny record; throws (a ``TemporarilyUnavailable`` error) when the store cannot write.
    func probeWrite() async throws
}
