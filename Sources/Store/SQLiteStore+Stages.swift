public import Foundation
internal import GRDB
public import Promotion

/// The stages' part of the store (DESIGN.md 1a): when a proposal went live and was verified (soak is counted from
/// there), and how far its `verify` window got. Additive: one migration, columns on `proposal`.
extension SQLiteStore {
    /// Stamps when the proposal first went live and was verified; a later save never moves either.
    static func stampStages(_ db: Database, _ proposal: Proposal) throws {
        let key: StatementArguments = [proposal.model, proposal.version, proposal.environment]
        let at = proposal.updatedAt.timeIntervalSince1970
        try db.execute(
            sql: """
                UPDATE proposal SET live_at = COALESCE(live_at, ?)
                WHERE model = ? AND version = ? AND environment = ? AND state IN ('live', 'verified')
                """,
            arguments: [at] + key)
        try db.execute(
            sql: """
                UPDATE proposal SET verified_at = COALESCE(verified_at, ?), window_failing = NULL
                WHERE model = ? AND version = ? AND environment = ? AND state = 'verified'
                """,
            arguments: [at] + key)
    }

    static func readStages(_ row: Row, into proposal: inout Proposal) {
        func date(_ column: String) -> Date? { (row[column] as Double?).map(Date.init(timeIntervalSince1970:)) }
        proposal.liveAt = date("live_at")
        proposal.verifiedAt = date("verified_at")
        let since = date("window_since"), sample = date("window_sample"), failing: String? = row["window_failing"]
        if since != nil || sample != nil || failing != nil {
            proposal.verification = VerificationProgress(passingSince: since, lastSample: sample, failing: failing)
        }
    }

    public func saveVerification(_ progress: VerificationProgress, model: String, version: String, environment: String) async throws -> Bool {
        try await write("save verification \(model)@\(version)/\(environment)") { db in
            try db.execute(
                sql: """
                    UPDATE proposal SET window_since = ?, window_sample = ?, window_failing = ?
                    WHERE model = ? AND version = ? AND environment = ? AND state = 'live'
                    """,
                arguments: [progress.passingSince?.timeIntervalSince1970, progress.lastSample?.timeIntervalSince1970, progress.failing,
                            model, version, environment])
            return db.changesCount > 0
        }
    }
}
