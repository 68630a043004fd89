public import Foundation

/// Durable state: promotions with their steps, the ledger of versions per environment, and the audit log.
/// Implemented by the `Store` adapter (SQLite through GRDB).
public protocol PromotionStore: Sendable {
    /// Records a new promotion for `request`, or returns the one already recorded under its idempotency key
    /// (`created` is then false). Committed before it returns. A `failed` promotion found under the key is queued
    /// again (decided again); a key already used for a different request throws ``AdmissionConflict``.
    func admit(_ request: ReleaseRequest, origin: String, now: Date) async throws -> (record: PromotionRecord, created: Bool)
    /// Like ``admit(_:origin:now:)`` for a request that arrived as a signed delivery: the delivery id is recorded
    /// with the promotion in the same transaction, and a delivery seen before returns its original promotion.
    func admit(_ request: ReleaseRequest, origin: String, delivery: Delivery?, now: Date) async throws -> (record: PromotionRecord, created: Bool)
    /// A delivery seen before: the digest of its body and the promotion it led to.
    func delivery(id: String) async throws -> (digest: String, promotionID: String)?
    /// How many promotions are in each state, per environment they reached (nil: no step yet).
    func promotionCounts() async throws -> [PromotionCount]
    /// One promotion with its steps.
    func promotion(id: String) async throws -> PromotionRecord?
    /// Promotions newest first, optionally of one model.
    func promotions(model: String?, limit: Int) async throws -> [PromotionRecord]
    /// Promotions in one of `states`, oldest first (the work queue).
    func promotions(in states: Set<PromotionState>, limit: Int) async throws -> [PromotionRecord]
    /// Moves a promotion to `state`.
    func setState(_ state: PromotionState, detail: String?, of id: String, now: Date) async throws
    /// Appends a step to a promotion.
    func appendStep(_ step: PromotionStep, to id: String) async throws
    /// The current ledger entry of every (model, environment), optionally filtered.
    func ledger(model: String?, environment: String?) async throws -> [LedgerEntry]
    /// Every ledger entry ever written for (model, environment), newest first: the history rollback reads.
    func ledgerHistory(model: String, environment: String) async throws -> [LedgerEntry]
    /// Writes an entry; it becomes the current one for its (model, environment).
    func record(_ entry: LedgerEntry) async throws
    /// Appends to the audit log.
    func audit(_ entry: AuditEntry) async throws
    /// The audit log, newest first.
    func auditLog(model: String?, limit: Int) async throws -> [AuditEntry]
    /// The audit log from `since` on, newest first, optionally of one model.
    func auditLog(model: String?, since: Date, limit: Int) async throws -> [AuditEntry]
    /// Replaces the findings of the previous reconciliation with `findings`, found by a run at `at`: every run that
    /// is not a dry run replaces the whole set, so drift that is gone (repaired, or undone by hand) disappears.
    func replaceDrift(_ findings: [DriftFinding], at: Date) async throws
    /// The findings of the last reconciliation, optionally of one model, by model and environment in the order found.
    func drift(model: String?) async throws -> [DriftRecord]
    /// The proposal of one version of a model to one environment, if any.
    func proposal(model: String, version: String, environment: String) async throws -> Proposal?
    /// Every proposal, optionally of one model and one environment, most recently changed first.
    func proposals(model: String?, environment: String?) async throws -> [Proposal]
    /// Writes a proposal if its state may follow the stored one (``ProposalState/canMove(to:)``); returns the
    /// proposal as stored afterwards (the stored one, unchanged, when the move would go backwards).
    @discardableResult
    func saveProposal(_ proposal: Proposal) async throws -> Proposal
    /// Counts one more start of a promotion's run (before it runs) and returns the count: a count that keeps growing
    /// across restarts names a promotion that crashes its worker.
    func beginAttempt(of id: String) async throws -> Int
    /// Sets the count of starts back to zero (the run ended, however it ended).
    func endAttempts(of id: String) async throws
    /// How many starts are counted for a promotion.
    func attempts(of id: String) async throws -> Int
    /// When the last reconciliation that was not a dry run ran, or nil when none has.
    func lastReconciliation() async throws -> Date?
    /// Records how far a live proposal's `verify` window got (nothing happens unless it is still `live`); true
    /// when it was written.
    func saveVerification(_ progress: VerificationProgress, model: String, version: String, environment: String) async throws -> Bool
}
