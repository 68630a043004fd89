internal import Foundation
internal import HTTPTypes
public import Hummingbird
public import Logging
public import Promotion

/// Enforces `service.access` on the read and promote API (DESIGN.md section 5): `GET /v1/status`,
/// `/v1/promotions/*` and `/v1/audit` need `read`, `POST /v1/promotions` needs `promote`. The page's routes check
/// their own sessions (``StatusPage``); intake, webhooks, `/healthz`, `/readyz`, `/metrics` and `/openapi.json`
/// stay open here. Every 401 and 403 is an RFC 9457 problem and is logged.
public struct AccessMiddleware: RouterMiddleware {
    public typealias Context = PromoteRequestContext
    let access: AccessControl
    let logger: Logger

    public init(access: AccessControl, logger: Logger) {
        self.access = access
        self.logger = logger
    }

    /// The scope a route needs, or nil when this middleware lets it through.
    static func scope(method: HTTPRequest.Method, path: String) -> AccessSettings.Scope? {
        switch (method, path) {
        case (.get, "/v1/status"), (.get, "/v1/audit"): return .read
        case (.get, _) where path.hasPrefix("/v1/promotions/"): return .read
        case (.head, _) where path == "/v1/status" || path == "/v1/audit" || path.hasPrefix("/v1/promotions/"): return .read
        case (.post, "/v1/promotions"): return .promote
        default: return nil
        }
    }

    public func handle(
        _ request: Request, context: PromoteRequestContext, next: (Request, PromoteRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let scope = Self.scope(method: request.method, path: request.uri.path) else { return try await next(request, context) }
        let identity = access.identify(headers: ServiceHandlers.headers(request), peer: context.remoteAddress)
        switch access.authorize(identity, scope: scope) {
        case .success(let principal):
            var context = context
            context.principal = principal
            return try await next(request, context)
        case .failure(let problem):
            Self.logRefusal(problem, request: request, peer: context.remoteAddress?.ipAddress, logger: logger)
            return ServiceHandlers.problem(problem)
        }
    }

    /// One log line per refused request: status, route and reason, never a credential.
    static func logRefusal(_ problem: Problem, request: Request, peer: String?, logger: Logger) {
        logger.notice("access refused", metadata: [
            "status": "\(problem.status.code)", "method": "\(request.method.rawValue)", "path": "\(request.uri.path)",
            "peer": "\(peer ?? "-")", "reason": "\(problem.detail ?? problem.title)",
        ])
    }
}
