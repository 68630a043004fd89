internal import Foundation
public import Hummingbird

/// Turns the router's own errors (no such route, wrong method, unreadable request) into RFC 9457 problems, so
/// that every error this service sends has the same shape.
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            let slug = error.status == .notFound ? "not-found" : error.status == .methodNotAllowed ? "method-not-allowed" : "bad-request"
            let title = error.status == .notFound ? "no such endpoint" : (error.status.reasonPhrase.isEmpty ? "request refused" : error.status.reasonPhrase)
            var problem = Problem(error.status, slug, title, detail: "\(request.method) \(request.uri.path)")
            if error.status.code >= 500 { problem.detail = nil }
            return ServiceHandlers.problem(problem)
        }
    }
}
