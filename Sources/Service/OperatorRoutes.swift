internal import Foundation
internal import HTTPTypes
public import Hummingbird
internal import JSON
public import Logging
internal import NIOCore
public import Promotion

/// What people use (DESIGN.md section 5, "Access" and "Status page"): `GET /v1/status`, `GET /v1/audit`,
/// `POST /v1/promotions`, and the server-rendered status page (`/`, `/models/{model}`, `/login`, `/logout`,
/// `/actions`). The API routes are guarded by ``AccessMiddleware``; the page checks its session cookie here and
/// answers in HTML.
public struct OperatorRoutes: Sendable {
    let engine: PromotionEngine
    public let access: AccessControl
    let sessions: SessionStore
    let status: StatusReader
    let requests: PromotionRequests
    let renderer = StatusPageRenderer()
    let cache = PageCache()
    let logger: Logger

    public func register(on router: Router<PromoteRequestContext>) {
        router.get("/v1/status") { request, _ in await api { try await getStatus(request) } }
        router.get("/v1/audit") { request, _ in await api { try await getAudit(request) } }
        router.post("/v1/promotions") { request, context in await api { try await postPromotion(request, context: context) } }
        router.get("/") { request, context in await page(request, context) { try await grid(request, $0) } }
        router.get("/models/:model") { request, context in
            await page(request, context) { try await model(context.parameters.get("model") ?? "", $0) }
        }
        router.post("/login") { request, context in await login(request, context) }
        router.post("/logout") { request, context in await logout(request, context) }
        router.post("/actions") { request, context in await action(request, context) }
    }

    // MARK: - API

    func api(_ body: () async throws -> Response) async -> Response {
        do { return try await body() } catch let problem as Problem { return ServiceHandlers.problem(problem) } catch {
            logger.error("request failed", metadata: ["error": "\(error)"])
            return ServiceHandlers.problem(Problem(.internalServerError, "internal", "the request could not be completed", detail: "\(error)"))
        }
    }

    func getStatus(_ request: Request) async throws -> Response {
        let report = StatusBuilder.report(config: engine.config, facts: try await status.facts(), model: request.uri.queryParameters.get("model"))
        return Self.json(try report.json())
    }

    func getAudit(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        var since: Date?
        if let text = query.get("since"), !text.isEmpty {
            guard let date = AuditSince.parse(text, now: engine.now()) else {
                throw Problem(.badRequest, "invalid-query", "the query cannot be read", errors: [FieldProblem(field: "since", message: AuditSince.problem(text))])
            }
            since = date
        }
        let model = query.get("model").flatMap { $0.isEmpty ? nil : $0 }
        return Self.json(try await AuditReader(store: engine.store).report(model: model, since: since).json())
    }

    func postPromotion(_ request: Request, context: PromoteRequestContext) async throws -> Response {
        guard let principal = context.principal else { throw AccessControl.unauthorized("no credentials") }
        let body = try await ServiceHandlers.collect(request, limit: 64 << 10)
        guard case .object(let fields)? = JSONValue.parse(Data(body)) else {
            throw Problem(.badRequest, "malformed-body", "the body is not a JSON object")
        }
        var problems: [FieldProblem] = []
        func text(_ key: String) -> String? {
            guard let value = fields[key], value != .null else { return nil }
            guard let string = value.string else {
                problems.append(.init(field: key, message: "must be a string"))
                return nil
            }
            return string
        }
        let known: Set<String> = ["action", "model", "version", "uri", "environment", "reason"]
        for key in fields.keys.sorted() where !known.contains(key) { problems.append(.init(field: key, message: "is not a known field")) }
        let ask = PromotionRequests.Ask(
            action: text("action") ?? "", model: text("model"), version: text("version"), uri: text("uri"),
            environment: text("environment"), reason: text("reason"))
        let record = try await requests.admit(ask, actor: principal.name, problems: problems)
        logger.info("promotion requested", metadata: ["promotion": "\(record.id)", "actor": "\(principal.name)", "action": "\(ask.action)"])
        return ServiceHandlers.document(.accepted, AcceptedDocument(record), headers: [.location: AcceptedDocument.url(record.id)])
    }

    static func json(_ data: Data) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    // MARK: - The page

    /// A page session, with its id.
    struct Viewer {
        var principal: Principal
        /// Nil for a bearer, proxy or public reader: no session, no forms.
        var sessionID: String?
        var csrf: String?
    }

    /// Who is looking at the page: a session cookie, a bearer token, a trusted proxy's user, or anyone with
    /// `publicRead`; or the reason they may not.
    func viewer(_ request: Request, _ context: PromoteRequestContext) -> Result<Viewer, Problem> {
        let headers = ServiceHandlers.headers(request)
        var session: SessionStore.Session?
        var sessionID: String?
        if let id = SessionStore.id(fromCookie: headers["cookie"]), let found = sessions.session(id, now: engine.now()) {
            session = found
            sessionID = id
        }
        let identity = access.identify(headers: headers, peer: context.remoteAddress, session: session?.principal)
        return access.authorize(identity, scope: .read).map { principal in
            session.map { Viewer(principal: principal, sessionID: sessionID, csrf: $0.csrf) }
                ?? Viewer(principal: principal, sessionID: nil, csrf: nil)
        }
    }

    func page(_ request: Request, _ context: PromoteRequestContext, _ body: (Viewer) async throws -> String) async -> Response {
        switch viewer(request, context) {
        case .failure(let problem):
            AccessMiddleware.logRefusal(problem, request: request, peer: context.remoteAddress?.ipAddress, logger: logger)
            return Self.html(problem.status, renderer.login(message: problem.status == .forbidden ? problem.detail : nil))
        case .success(let viewer):
            do { return Self.html(.ok, try await body(viewer)) } catch let problem as Problem {
                return Self.html(problem.status, renderer.error(problem))
            } catch {
                logger.error("page failed", metadata: ["error": "\(error)"])
                return Self.html(.internalServerError, renderer.error(Problem(.internalServerError, "internal", "the page could not be built")))
            }
        }
    }

    func grid(_ request: Request, _ viewer: Viewer) async throws -> String {
        let report = StatusBuilder.report(config: engine.config, facts: try await status.facts())
        let notice = request.uri.queryParameters.get("promotion").map { "Promotion \($0) accepted." }
        let now = engine.now()
        let key = PageCache.Key(
            viewer: viewer.principal.name, csrf: viewer.csrf, canPromote: viewer.principal.allows(.promote),
            minute: Int(now.timeIntervalSince1970 / 60), notice: notice)
        return cache.page(key, report: report) { renderer.grid(report, viewer: viewer, now: now, notice: notice) }
    }

    func model(_ name: String, _ viewer: Viewer) async throws -> String {
        let promotions = try await engine.store.promotions(model: name, limit: 200)
        var history: [LedgerEntry] = []
        for env in engine.config.environments { history += try await engine.store.ledgerHistory(model: name, environment: env.name) }
        let audit = try await AuditReader(store: engine.store).report(model: name, since: nil, limit: 100)
        guard !promotions.isEmpty || !history.isEmpty || engine.config.models[name] != nil else {
            throw Problem(.notFound, "unknown-model", "nothing is known of this model")
        }
        return renderer.model(name, promotions: promotions, history: history, audit: audit, viewer: viewer, now: engine.now())
    }

    /// `POST /login`: a token from the form opens a session (HttpOnly, SameSite=Strict cookie).
    func login(_ request: Request, _ context: PromoteRequestContext) async -> Response {
        guard Self.sameOrigin(request) else { return refusedCrossSite(request, context) }
        let fields = FormBody.parse((try? await ServiceHandlers.collect(request, limit: 16 << 10)) ?? [])
        guard let token = fields["token"], !token.isEmpty, let principal = access.principal(token: token) else {
            AccessMiddleware.logRefusal(AccessControl.unauthorized("the login token is not valid"), request: request, peer: context.remoteAddress?.ipAddress, logger: logger)
            return Self.html(.unauthorized, renderer.login(message: "That token is not valid."))
        }
        guard let (id, _) = sessions.open(Principal(name: principal.name, scopes: principal.scopes, proof: .session), now: engine.now()) else {
            return Self.html(.unauthorized, renderer.login(message: "That token is not valid."))
        }
        logger.info("page login", metadata: ["actor": "\(principal.name)"])
        return Response(status: .seeOther, headers: [.location: "/", .setCookie: sessions.cookie(id)])
    }

    func logout(_ request: Request, _ context: PromoteRequestContext) async -> Response {
        let fields = FormBody.parse((try? await ServiceHandlers.collect(request, limit: 16 << 10)) ?? [])
        let headers = ServiceHandlers.headers(request)
        if let id = SessionStore.id(fromCookie: headers["cookie"]), let session = sessions.session(id, now: engine.now()) {
            guard SessionStore.csrfMatches(fields["csrf"], session), Self.sameOrigin(request) else { return refusedCrossSite(request, context) }
            sessions.close(id, now: engine.now())
        }
        return Response(status: .seeOther, headers: [.location: "/", .setCookie: sessions.cookie(nil)])
    }

    /// `POST /actions`: a button of the page (release, rollback). Needs a session
    /// whose token has the `promote` scope, and the session's CSRF token in the form.
    func action(_ request: Request, _ context: PromoteRequestContext) async -> Response {
        let fields = FormBody.parse((try? await ServiceHandlers.collect(request, limit: 16 << 10)) ?? [])
        let headers = ServiceHandlers.headers(request)
        guard let id = SessionStore.id(fromCookie: headers["cookie"]), let session = sessions.session(id, now: engine.now()) else {
            AccessMiddleware.logRefusal(AccessControl.unauthorized("no session"), request: request, peer: context.remoteAddress?.ipAddress, logger: logger)
            return Self.html(.unauthorized, renderer.login(message: "Log in with a token that may promote."))
        }
        guard SessionStore.csrfMatches(fields["csrf"], session), Self.sameOrigin(request) else { return refusedCrossSite(request, context) }
        guard session.principal.allows(.promote) else {
            let problem = Problem(.forbidden, "forbidden", "not allowed", detail: "'\(session.principal.name)' does not have the 'promote' scope")
            AccessMiddleware.logRefusal(problem, request: request, peer: context.remoteAddress?.ipAddress, logger: logger)
            return Self.html(.forbidden, renderer.error(problem))
        }
        let ask = PromotionRequests.Ask(
            action: fields["action"] ?? "", model: fields["model"], version: fields["version"].flatMap { $0.isEmpty ? nil : $0 },
            uri: fields["uri"].flatMap { $0.isEmpty ? nil : $0 }, environment: fields["environment"],
            reason: fields["reason"].flatMap { $0.isEmpty ? nil : $0 })
        do {
            let record = try await requests.admit(ask, actor: session.principal.name)
            logger.info("promotion requested", metadata: ["promotion": "\(record.id)", "actor": "\(session.principal.name)", "action": "\(ask.action)"])
            return Response(status: .seeOther, headers: [.location: "/?promotion=\(FormBody.encode(record.id))"])
        } catch let problem as Problem {
            return Self.html(problem.status, renderer.error(problem))
        } catch {
            logger.error("page action failed", metadata: ["error": "\(error)"])
            return Self.html(.internalServerError, renderer.error(Problem(.internalServerError, "internal", "the request could not be completed")))
        }
    }

    func refusedCrossSite(_ request: Request, _ context: PromoteRequestContext) -> Response {
        let problem = Problem(.forbidden, "csrf", "the form is not from this page", detail: "missing or wrong CSRF token, or a cross-site request")
        AccessMiddleware.logRefusal(problem, request: request, peer: context.remoteAddress?.ipAddress, logger: logger)
        return Self.html(.forbidden, renderer.error(problem))
    }

    /// A browser's cross-site POST says so (`Sec-Fetch-Site: cross-site`, or an `Origin` whose host is not ours).
    static func sameOrigin(_ request: Request) -> Bool {
        let headers = ServiceHandlers.headers(request)
        if headers["sec-fetch-site"] == "cross-site" { return false }
        guard let origin = headers["origin"] else { return true }
        guard let host = headers["host"] ?? request.head.authority else { return false }
        return origin == "http://\(host)" || origin == "https://\(host)"
    }

    static func html(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'",
                HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
