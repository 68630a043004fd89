internal import Foundation
internal import HTTPTypes
public import Promotion

/// A person's request to release or roll back, from `POST /v1/promotions` or a button of the page: it is
/// checked, committed to the store with the person as the promotion's origin (the audit actor), audited with its
/// reason, and handed to the workers, exactly like an event on `/v1/events`.
public struct PromotionRequests: Sendable {
    /// What a person can ask for.
    public enum Action: String, Sendable, CaseIterable {
        case release, rollback, advance
    }

    /// The fields of `POST /v1/promotions` (each action needs some of them).
    public struct Ask: Sendable, Hashable {
        public var action: String
        public var model: String?
        public var version: String?
        public var uri: String?
        public var environment: String?
        public var reason: String?

        public init(action: String, model: String?, version: String? = nil, uri: String? = nil, environment: String? = nil, reason: String? = nil) {
            self.action = action
            self.model = model
            self.version = version
            self.uri = uri
            self.environment = environment
            self.reason = reason
        }
    }

    let engine: PromotionEngine
    let workers: PromotionWorkers

    /// Admits `ask` for `actor`; returns the promotion (new, or the one this request already made). `problems` are
    /// what the caller found wrong with the body already, reported with the fields' own.
    func admit(_ ask: Ask, actor: String, problems known: [FieldProblem] = []) async throws -> PromotionRecord {
        guard let action = Action(rawValue: ask.action) else {
            throw Self.invalid(known + [FieldProblem(field: "action", message: "must be one of release, rollback, advance")])
        }
        var problems = known
        if let reason = ask.reason, let problem = InputRules.textProblem(reason, limit: 500) { problems.append(.init(field: "reason", message: problem)) }
        if action == .advance {
            guard problems.isEmpty else { throw Self.invalid(problems) }
            return try await advance(model: ask.model.flatMap { $0.isEmpty ? nil : $0 }, actor: actor, reason: ask.reason)
        }
        guard let model = ask.model, !model.isEmpty else { throw Self.invalid(problems + [.init(field: "model", message: "is required")]) }
        if action == .rollback, (ask.environment ?? "").isEmpty { problems.append(.init(field: "environment", message: "is required to roll back")) }
        if action == .release, (ask.version ?? "").isEmpty { problems.append(.init(field: "version", message: "is required to release")) }
        if action == .release, (ask.uri ?? "").isEmpty { problems.append(.init(field: "uri", message: "is required to release")) }
        guard problems.isEmpty else { throw Self.invalid(problems) }

        let now = engine.now()
        let stamp = Int(now.timeIntervalSince1970)
        let request: ReleaseRequest
        do {
            if action == .rollback {
                let env = ask.environment ?? ""
                let target: RollbackPlanner.Target
                do { target = try await RollbackPlanner(engine: engine).target(model: model, environment: env, version: ask.version) } catch let error as PromotionError {
                    throw Problem(.unprocessableContent, "not-allowed", "the rollback cannot be planned", detail: error.message)
                }
                request = try ReleaseRequest.validated(
                    model: model, version: target.version, uri: target.uri, metrics: target.metrics, source: .init(pipeline: "rollback"),
                    idempotencyKey: "\(ReleaseRequest.rollbackKeyPrefix)\(env):\(model)@\(target.version):\(stamp)", environments: [env])
            } else {
                let version = ask.version ?? "", uri = ask.uri ?? ""
                request = try ReleaseRequest.validated(
                    model: model, version: version, uri: uri, source: .init(pipeline: "api"),
                    idempotencyKey: "api:\(FormBody.encode(actor).prefix(60)):\(ask.environment ?? "*"):\(model)@\(version):\(stamp)",
                    environments: ask.environment.map { [$0] })
            }
        } catch let invalid as InvalidRelease {
            throw Self.invalid(invalid.problems)
        }
        do { try engine.check(request) } catch {
            throw Problem(.unprocessableContent, "not-allowed", "the request cannot be promoted here", detail: error.message)
        }
        let (record, created) = try await engine.store.admit(request, origin: actor, delivery: nil, now: now)
        if created {
            try await engine.store.audit(AuditEntry(
                at: now, actor: actor, action: "requested-\(action.rawValue)", model: model, environment: ask.environment,
                promotionID: record.id, detail: "\(action.rawValue) \(request.version)" + (ask.reason.map { ": \($0)" } ?? "")))
            workers.wake()
        }
        return record
    }

    /// `action: advance` (DESIGN.md 1a): one advance pass now, for `model` or every model; the promotion it started
    /// first (the others are in the audit log and `/v1/status`). Nothing to carry on is a 409 saying why.
    func advance(model: String?, actor: String, reason: String?) async throws -> PromotionRecord {
        if let model, let problem = InputRules.modelNameProblem(model) { throw Self.invalid([.init(field: "model", message: problem)]) }
        let engine = self.engine
        let leases = [ReplicaLeases.schedule] + engine.config.environments.map(\.repository.url)
        guard let report = try await workers.exclusively(holding: leases, { try await engine.advance(model: model, origin: actor) }) else {
            throw Problem(
                .conflict, "advance-busy", "another replica is running an advance pass",
                detail: "another replica holds the schedule's lease; its pass carries every verified version on: look at /v1/status")
        }
        try await engine.store.audit(AuditEntry(
            at: engine.now(), actor: actor, action: "requested-advance", model: model, environment: nil, promotionID: nil,
            detail: "advance: " + (report.entries.isEmpty ? "nothing moved" : report.entries.map { "\($0.version) \($0.environment) \($0.action.rawValue)" }
                .joined(separator: ", ")) + (reason.map { ": \($0)" } ?? "")))
        for entry in report.entries {
            if let id = entry.promotionID, let record = try await engine.store.promotion(id: id) { return record }
        }
        let why = report.entries.filter { $0.action == .failed }.map { "\($0.version) to \($0.environment): \($0.detail)" }
        throw Problem(
            .conflict, "nothing-to-advance", "nothing to advance",
            detail: why.isEmpty ? "no version is verified (and soaked) in an environment's `from` and waiting to enter it" : why.joined(separator: "; "))
    }

    static func invalid(_ problems: [FieldProblem]) -> Problem {
        Problem(.unprocessableContent, "invalid-request", "the request cannot be read", errors: problems)
    }
}
