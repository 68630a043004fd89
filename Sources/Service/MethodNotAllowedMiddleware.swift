public import Hummingbird
internal import HTTPTypes

/// A wrong method on a known path answers 405 with an `Allow` header (RFC 9110 section 15.5.6) and a problem body,
/// not the router's 404. The known paths and their methods are those of the OpenAPI document.
public struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError where error.status == .notFound {
            guard let allowed = OpenAPIDocument.allowedMethods(for: request.uri.path), !allowed.contains(request.method.rawValue) else {
                throw error
            }
            let allow = allowed.joined(separator: ", ")
            return ServiceHandlers.problem(Problem(
                .methodNotAllowed, "method-not-allowed", "method not allowed",
                detail: "\(request.method) is not allowed on \(request.uri.path); allowed: \(allow)", headers: [.allow: allow]))
        }
    }
}
