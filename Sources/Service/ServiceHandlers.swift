internal import Foundation
internal import HTTPTypes
public import Hummingbird
internal import JSON
internal import Logging
internal import NIOCore
internal import Promotion

/// The HTTP endpoints of `promote serve` (DESIGN.md section 5; described by ``OpenAPIDocument``).
/// Every failure answers with an RFC 9457 problem; nothing is stored for a request that is refused.
public struct ServiceHandlers: Sendable {
    let engine: PromotionEngine
    let workers: PromotionWorkers
    let metrics: ServiceMetrics
    let intake: IntakeAuthenticator
    let allowUnauthenticated: Bool
    let mlflow: MLflowIntake?
    let forgeWebhooks: ForgeWebhookIntake
    let build: BuildInfo
    let logger: Logger

    var store: any PromotionStore { engine.store }

    /// Registers every route on `router`.
    public func register(on router: Router<PromoteRequestContext>) {
        router.post("/v1/events") { request, _ in await respond(route: "events") { try await postEvent(request) } }
        router.post("/v1/webhooks/mlflow") { request, _ in await respond(route: "mlflow") { try await postMLflow(request) } }
        router.post("/v1/webhooks/:forge") { request, context in
            await respond(route: "forge") { try await postForge(request, forge: context.parameters.get("forge") ?? "") }
        }
        router.get("/v1/promotions/:id") { _, context in
            await respond(route: nil) { try await getPromotion(context.parameters.get("id") ?? "") }
        }
        router.get("/healthz") { _, _ in Self.document(.ok, StatusDocument(status: "ok")) }
        router.get("/readyz") { _, _ in await respond(route: nil) { try await getReady() } }
        router.get("/metrics") { _, _ in await respond(route: nil) { try await getMetrics() } }
        router.get("/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.json(version: build.version, config: engine.config))))
        }
    }

    // MARK: - Intake

    func postEvent(_ request: Request) async throws -> Response {
        let headers = Self.headers(request)
        try intake.checkHeaders(headers, allowOpen: allowUnauthenticated)  // before the body is read
        let body = try await Self.collect(request, limit: EventIntake.maxBodyBytes)
        let delivery = try intake.authenticate(headers: headers, body: body, now: engine.now(), allowOpen: allowUnauthenticated)
        if let delivery, let replay = try await replayed(delivery) { return replay }
        let release: ReleaseRequest
        do { release = try EventIntake.decode(headers: headers, body: body, config: engine.config) } catch { throw Problem(error) }
        if release.isRollback {
            throw Problem(
                .unprocessableContent, "invalid-event", "the event cannot be read",
                errors: [FieldProblem(field: "idempotencyKey", message: "'rollback:' keys are reserved for rollbacks (POST /v1/promotions)")])
        }
        return try await admit(release, origin: "api", delivery: delivery)
    }

    func postMLflow(_ request: Request) async throws -> Response {
        guard let mlflow else {
            throw Problem(.notFound, "not-configured", "MLflow is not configured", detail: "set service.mlflow in the config")
        }
        let headers = Self.headers(request)
        try mlflow.checkHeaders(headers)  // before the body is read
        let body = try await Self.collect(request, limit: EventIntake.maxBodyBytes)
        let delivery = try mlflow.authenticate(headers: headers, body: body, now: engine.now())
        if let replay = try await replayed(delivery) { return replay }
        switch try await mlflow.release(for: body) {
        case .release(let release):
            return try await admit(release, origin: "mlflow", delivery: delivery)
        case .ignored(let reason):
            return Self.document(.ok, StatusDocument(status: "ignored", reason: reason))
        }
    }

    func postForge(_ request: Request, forge: String) async throws -> Response {
        let (status, detail) = try await forgeWebhooks.handle(forge: forge, headers: Self.headers(request)) {
            try await Self.collect(request, limit: ForgeWebhookIntake.maxBodyBytes)
        }
        return Self.document(.ok, StatusDocument(status: status, detail: detail))
    }

    /// A signed delivery seen before: the original promotion (202, as for the first delivery), or 409 when the id
    /// comes with another body.
    func replayed(_ delivery: Delivery) async throws -> Response? {
        guard let seen = try await store.delivery(id: delivery.id) else { return nil }
        guard seen.digest == delivery.digest else {
            throw Problem(
                .conflict, "delivery-id-reused", "this delivery id was already used for a different body",
                detail: "a webhook-id identifies one delivery; send a new id for a new event")
        }
        guard let record = try await store.promotion(id: seen.promotionID) else { return nil }
        return Self.document(.accepted, AcceptedDocument(record), headers: [.location: AcceptedDocument.url(record.id)])
    }

    /// Checks the request against the configuration, commits it to the store, wakes the workers, answers 202.
    func admit(_ release: ReleaseRequest, origin: String, delivery: Delivery?) async throws -> Response {
        do { try engine.check(release) } catch {
            throw Problem(.unprocessableContent, "not-allowed", "the event cannot be promoted here", detail: error.message)
        }
        let record: PromotionRecord, created: Bool
        do {
            (record, created) = try await store.admit(release, origin: origin, delivery: delivery, now: engine.now())
        } catch let conflict as AdmissionConflict {
            throw Problem(
                .conflict, "idempotency-key-reused", "this idempotency key was already used for a different request",
                detail: "\(conflict); send a new key for a new request")
        }
        if created || record.state == .queued {
            workers.wake()
            logger.info(
                "event accepted",
                metadata: ["promotion": "\(record.id)", "model": "\(release.model)", "version": "\(release.version)", "origin": "\(origin)"])
        }
        // A re-delivery (same idempotency key) gets the same answer as the first: 202 with the original promotion.
        return Self.document(.accepted, AcceptedDocument(record), headers: [.location: AcceptedDocument.url(record.id)])
    }

    // MARK: - Reads

    func getPromotion(_ id: String) async throws -> Response {
        guard let record = try await store.promotion(id: id) else {
            throw Problem(.notFound, "unknown-promotion", "no promotion has this id", detail: "id: \(String(id.prefix(80)))")
        }
        return Self.document(.ok, PromotionDocument(record))
    }

    func getReady() async throws -> Response {
        _ = try await store.promotionCounts()
        if let probe = store as? any WriteProbing { try await probe.probeWrite() }
        guard await workers.isAccepting else {
            throw Problem(.serviceUnavailable, "shutting-down", "the service is shutting down")
        }
        return Self.document(.ok, StatusDocument(status: "ready"))
    }

    func getMetrics() async throws -> Response {
        metrics.setPromotions(try await store.promotionCounts())
        metrics.setDrift(try await store.drift(model: nil).map(\.finding), lastRun: try await store.lastReconciliation())
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: metrics.render())))
    }

    // MARK: - Plumbing

    /// Runs a handler; a ``Problem`` becomes its response, anything else a logged 500 problem.
    func respond(route: String?, _ body: () async throws -> Response) async -> Response {
        do {
            let response = try await body()
            if let route { metrics.countEvent(route: route, outcome: response.status == .accepted ? "accepted" : "ok") }
            return response
        } catch let problem as Problem {
            logger.notice(
                "request refused",
                metadata: ["status": "\(problem.status.code)", "problem": "\(problem.slug)", "detail": "\(problem.detail ?? problem.title)"])
            if let route {
                let outcome = problem.status == .unauthorized ? "unauthorized" : problem.status.code >= 500 ? "unavailable" : "rejected"
                metrics.countEvent(route: route, outcome: outcome)
            }
            return Self.problem(problem)
        } catch let error as any TemporarilyUnavailable where error.isTemporarilyUnavailable {
            logger.warning("state store unavailable", metadata: ["error": "\(error)"])
            if let route { metrics.countEvent(route: route, outcome: "unavailable") }
            return Self.problem(.storeUnavailable)
        } catch {
            logger.error("request failed", metadata: ["error": "\(error)"])
            if let route { metrics.countEvent(route: route, outcome: "error") }
            return Self.problem(Problem(.internalServerError, "internal", "the request could not be completed", detail: "\(error)"))
        }
    }

    /// An `Encodable` document (``PromotionDocument``, ``AcceptedDocument``) as `application/json`.
    static func document(_ status: HTTPResponse.Status, _ document: some Encodable, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: DocumentEncoder.encode(document))))
    }

    static func problem(_ problem: Problem) -> Response {
        var headers = problem.headers
        headers[.contentType] = "application/problem+json"
        return Response(status: problem.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: problem.body)))
    }

    static func json(_ status: HTTPResponse.Status, _ value: JSONValue, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: Array(JSONWriter.write(value)))))
    }

    /// The body, refused with 413 past `limit` bytes (by Content-Length before reading, or while reading).
    static func collect(_ request: Request, limit: Int) async throws -> [UInt8] {
        let tooLarge = Problem(.contentTooLarge, "body-too-large", "the body is larger than \(limit) bytes")
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw tooLarge }
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw tooLarge
        }
    }

    /// Request headers with lowercased names (repeated headers joined with ", ").
    static func headers(_ request: Request) -> [String: String] {
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName.lowercased()
            headers[name] = headers[name].map { $0 + ", " + field.value } ?? field.value
        }
        return headers
    }
}
