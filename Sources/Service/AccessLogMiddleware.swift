internal import Foundation
public import Hummingbird
internal import HTTPTypes
public import Logging
internal import Promotion
internal import NIOCore

/// The outermost middleware of `promote serve`: gives each request an id (its `X-Request-Id` when that is a sane
/// token, else a new one) that every line logged while handling it carries (`request_id`) and that the response
/// echoes; writes one access-log line per request (method, route, path, status, duration, request id, remote
/// address; a refusal at `notice`, a server error at `error`); counts the request in ``ServiceMetrics``.
public struct AccessLogMiddleware<Context: RemoteAddressRequestContext>: RouterMiddleware {
    let logger: Logger
    let metrics: ServiceMetrics

    public init(logger: Logger, metrics: ServiceMetrics) {
        self.logger = logger
        self.metrics = metrics
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = Self.requestID(request.headers[.requestID])
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await LogContext.$requestID.withValue(id) { try await next(request, context) }
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        } catch {
            LogContext.$requestID.withValue(id) { logger.error("request failed", metadata: ["error": "\(error)"]) }
            response = ServiceHandlers.problem(Problem(.internalServerError, "internal", "the request could not be completed"))
        }
        response.headers[.requestID] = id
        let elapsed = ContinuousClock.now - start
        // A bounded label: the route's template, never the raw path.
        let route = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
        metrics.observeHTTP(method: request.method.rawValue, route: route, status: response.status.code, duration: elapsed)
        let status = response.status.code
        let level: Logger.Level = status >= 500 ? .error : status >= 400 ? .notice : .info
        var metadata: Logger.Metadata = [
            "request_id": "\(id)", "method": "\(request.method.rawValue)", "route": "\(route)", "path": "\(request.uri.path)",
            "status": "\(status)", "duration_ms": "\(Self.milliseconds(elapsed))",
        ]
        if let remote = context.remoteAddress { metadata["remote"] = "\(remote.ipAddress ?? "\(remote)"):\(remote.port ?? 0)" }
        logger.log(level: level, "\(request.method.rawValue) \(request.uri.path) \(status)", metadata: metadata)
        return response
    }

    /// The client's id when it is 1 to 128 characters of `A-Z a-z 0-9 . _ : -`, else a new random one.
    static func requestID(_ header: String?) -> String {
        if let header, (1...128).contains(header.count),
            header.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._:-".unicodeScalars.contains($0)) })
        {
            return header
        }
        return UUID().uuidString.lowercased()
    }

    static func milliseconds(_ d: Duration) -> String {
        let ms = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
        return String(format: "%.3f", ms)
    }
}

extension HTTPField.Name {
    /// `X-Request-Id`: a request's id, taken from the client or made, echoed in the response.
    static let requestID = HTTPField.Name("X-Request-Id")!
}
