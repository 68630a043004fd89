public import CurlHTTP
internal import Foundation
internal import JSON
public import Logging
public import Promotion

/// The sources of an environment's `verify` checks over their HTTP APIs, through CurlHTTP:
/// - Argo CD: `GET <url>/api/v1/applications/<name>` with `Authorization: Bearer <token>`, read as Argo CD's
///   `v1alpha1.Application` (`status.sync`, `status.health`, `status.operationState`);
/// - Prometheus: `POST <url>/api/v1/query` (form-encoded, as Prometheus recommends for long queries), an instant
///   query whose `vector` or `scalar` result is returned sample by sample.
///
/// It observes and judges nothing: a check that cannot run throws ``CheckUnavailable`` (unreachable, unauthorized,
/// notFound, invalid, unexpectedResponse) with the source's own message, never a pass. No retries: the engine samples
/// again every `every`. Tokens are read once, at init, from the variables the config names; they never appear in a
/// URL, an error or a log line.
///
/// Built by the composition root:
/// ```swift
/// let checks = DeploymentChecksClient(config: config, environment: ProcessInfo.processInfo.environment,
///                                     logger: Logger(label: "promote.checks"))
/// ```
public struct DeploymentChecksClient: DeploymentChecks {
    /// The timeouts when the client starts its own worker pool: a check is one small request; a slow source is an
    /// unavailable check, not a hung engine.
    public static let defaultOptions = CurlOptions(
        connectTimeout: .seconds(5), totalTimeout: .seconds(20), lowSpeedTime: .seconds(10), maxResponseBytes: 16 << 20)

    /// The longest a PromQL evaluation may take on the server (`timeout` form field), below the total timeout.
    static let queryTimeout = "15s"

    /// Token by the variable that holds it, for the variables the config names (`tokenEnv`); unset ones are absent.
    private let tokens: [String: String]
    private let transport: any CheckTransport
    private let logger: Logger

    /// - Parameters:
    ///   - config: the variables named by every environment's `verify.argocd.tokenEnv` and `verify.prometheus.tokenEnv`
    ///     are read from `environment`, and only those.
    ///   - environment: the process environment (or a test's).
    ///   - logger: where each check's request and outcome go (debug level; never a token).
    ///   - pool: worker threads shared with other clients; by default the client starts its own two with `options`.
    ///   - options: timeouts and limits of the client's own pool (ignored when `pool` is given).
    public init(
        config: PromoteConfig, environment: [String: String], logger: Logger, pool: CurlWorkerPool? = nil,
        options: CurlOptions = DeploymentChecksClient.defaultOptions
    ) {
        let names = config.environments.compactMap(\.verify).flatMap { [$0.argoCD?.tokenEnv, $0.prometheus?.tokenEnv] }
        var tokens: [String: String] = [:]
        for case let name? in names { if let value = environment[name], !value.isEmpty { tokens[name] = value } }
        var options = options
        options.userAgent = "promote"
        self.init(tokens: tokens, transport: pool ?? CurlWorkerPool(threads: 2, options: options), logger: logger)
    }

    /// The seam for unit tests: tokens by variable name, any transport.
    init(tokens: [String: String], transport: any CheckTransport, logger: Logger) {
        self.tokens = tokens
        self.transport = transport
        self.logger = logger
    }

    // MARK: - DeploymentChecks

    public func argoCDApplication(_ settings: VerifySettings.ArgoCD, name: String) async throws -> ArgoCDApplicationState {
        let path = "/api/v1/applications/\(PercentEncoding.component(name))"
        let shown = "Argo CD GET \(path) at \(settings.url)"
        guard let token = tokens[settings.tokenEnv] else {
            throw CheckUnavailable(
                kind: .unauthorized, request: shown,
                message: "no token: export \(settings.tokenEnv) (named by verify.argocd.tokenEnv)")
        }
        var headers = HTTPHeaders()
        headers.set("Accept", "application/json")
        headers.set("Authorization", "Bearer \(token)")
        let response = try await exchange(HTTPRequest(method: "GET", url: settings.url + path, headers: headers), shown: shown, token: token)
        guard response.status == 200 else { throw argoCDFailure(response, shown: shown, name: name, token: token) }
        let doc = try json(response, shown: shown, token: token)
        let application: ArgoCDApplication
        do {
            application = try doc.decode(ArgoCDApplication.self)
        } catch {
            throw CheckUnavailable(kind: .unexpectedResponse, request: shown, message: "not an Argo CD Application: \(error)")
        }
        if let returned = application.metadata?.name, returned != name {
            throw CheckUnavailable(
                kind: .unexpectedResponse, request: shown, message: "asked for application '\(name)', Argo CD answered with '\(returned)'")
        }
        let state = application.state
        logger.debug("Argo CD application read", metadata: [
            "request": "\(shown)", "sync": "\(state.syncStatus)", "health": "\(state.healthStatus)",
            "revision": "\(state.revision ?? state.revisions.joined(separator: ","))"])
        return state
    }

    public func prometheusQuery(_ settings: VerifySettings.Prometheus, query: String) async throws -> [PrometheusSample] {
        let shown = "Prometheus POST /api/v1/query at \(settings.url)"
        var token: String?
        if let name = settings.tokenEnv {
            guard let value = tokens[name] else {
                throw CheckUnavailable(
                    kind: .unauthorized, request: shown, message: "no token: export \(name) (named by verify.prometheus.tokenEnv)")
            }
            token = value
        }
        var headers = HTTPHeaders()
        headers.set("Accept", "application/json")
        headers.set("Content-Type", "application/x-www-form-urlencoded")
        if let token { headers.set("Authorization", "Bearer \(token)") }
        let body = PercentEncoding.form([("query", query), ("timeout", Self.queryTimeout)])
        let request = HTTPRequest(method: "POST", url: settings.url + "/api/v1/query", headers: headers, body: Data(body.utf8))
        let response = try await exchange(request, shown: shown, token: token)
        // Prometheus answers a refused query with 400 (bad_data) or 422 (execution) and a JSON error body; an
        // evaluation timeout is 503: those bodies are read below. Anything else that is not 200 is mapped by status.
        let answered = [200, 400, 422, 503].contains(response.status)
        guard answered, let doc = JSONValue.parse(response.body), doc["status"]?.string != nil else {
            throw statusFailure(response, shown: shown, token: token, source: "Prometheus")
        }
        do {
            let samples = try PrometheusAnswer.samples(doc)
            logger.debug("Prometheus query answered", metadata: ["request": "\(shown)", "series": "\(samples.count)"])
            return samples
        } catch {
            switch error {
            case .queryError(let type, let message):
                let kind: CheckUnavailable.Kind = response.status >= 500 || ["timeout", "canceled", "unavailable"].contains(type) ? .unreachable : .invalid
                throw CheckUnavailable(kind: kind, request: shown, message: redact("Prometheus refused the query (\(type)): \(message)", token))
            case .notANumber(let message):
                throw CheckUnavailable(kind: .invalid, request: shown, message: message)
            case .malformed(let message):
                throw CheckUnavailable(kind: .unexpectedResponse, request: shown, message: "HTTP \(response.status): \(message)")
            }
        }
    }

    // MARK: - HTTP

    /// Performs `request`; a transport failure is ``CheckUnavailable/Kind/unreachable`` (or unexpectedResponse for a
    /// body over the size limit).
    private func exchange(_ request: HTTPRequest, shown: String, token: String?) async throws(CheckUnavailable) -> HTTPResponse {
        do {
            return try await transport.perform(request)
        } catch {
            logger.debug("check source not reached", metadata: ["request": "\(shown)", "error": "\(error.kind.rawValue)"])
            let kind: CheckUnavailable.Kind = error.kind == .responseTooLarge ? .unexpectedResponse : .unreachable
            throw CheckUnavailable(kind: kind, request: shown, message: redact("\(error.message) (curl \(error.kind.rawValue))", token))
        }
    }

    /// The parsed JSON body of a 200 answer.
    private func json(_ response: HTTPResponse, shown: String, token: String) throws(CheckUnavailable) -> JSONValue {
        guard let doc = JSONValue.parse(response.body), case .object = doc else {
            throw CheckUnavailable(
                kind: .unexpectedResponse, request: shown,
                message: redact("HTTP 200 with a body that is not a JSON object: \(Self.start(of: response))", token))
        }
        return doc
    }

    /// A non-200 answer of Argo CD: 404 is an unknown application; the rest by status, with Argo CD's message.
    private func argoCDFailure(_ response: HTTPResponse, shown: String, name: String, token: String) -> CheckUnavailable {
        let failure = statusFailure(response, shown: shown, token: token, source: "Argo CD")
        switch response.status {
        case 404:
            // Argo CD's own 404 carries its error body (`runtimeError`: code and message); any other 404 means the URL
            // is not Argo CD's API.
            guard let doc = JSONValue.parse(response.body), doc["code"] != nil, let message = doc["message"]?.string else { return failure }
            return CheckUnavailable(
                kind: .notFound, request: shown, message: redact("Argo CD has no application '\(name)' (HTTP 404: \(Self.clip(message)))", token))
        case 403:
            // Argo CD answers 403 both for a missing right and, to users without it, for an application that does not exist.
            return CheckUnavailable(
                kind: .unauthorized, request: shown,
                message: "\(failure.message) (the token needs the RBAC permission 'applications, get' on '\(name)'; Argo CD also says this when the application does not exist)")
        default:
            return failure
        }
    }

    /// The ``CheckUnavailable`` for an answer by its status: 401/403 unauthorized, 429 and 5xx unreachable, 404 and
    /// other 4xx invalid (a wrong URL or request), anything else unexpectedResponse; the source's message kept.
    private func statusFailure(_ response: HTTPResponse, shown: String, token: String?, source: String) -> CheckUnavailable {
        let status = response.status
        let text = redact(Self.describe(response), token)
        switch status {
        case 401:
            let hint = token == nil ? "no token was sent; set tokenEnv" : "the token was refused: check that it is valid and not expired"
            return CheckUnavailable(kind: .unauthorized, request: shown, message: "\(text) (\(hint))")
        case 403: return CheckUnavailable(kind: .unauthorized, request: shown, message: text)
        case 429, 500...: return CheckUnavailable(kind: .unreachable, request: shown, message: text)
        case 404: return CheckUnavailable(kind: .invalid, request: shown, message: "\(text) (is the URL \(source)'s base URL?)")
        case 400..<500: return CheckUnavailable(kind: .invalid, request: shown, message: text)
        default: return CheckUnavailable(kind: .unexpectedResponse, request: shown, message: text)
        }
    }

    /// `HTTP <status>: <message>` from the source's error body (Argo CD's `runtimeError` `message`/`error`, Prometheus's
    /// `error`), else the start of the body.
    static func describe(_ response: HTTPResponse) -> String {
        if let doc = JSONValue.parse(response.body),
            let message = doc["message"]?.string ?? doc["error"]?.string, !message.isEmpty
        {
            return "HTTP \(response.status): \(clip(message))"
        }
        let start = start(of: response)
        return start.isEmpty ? "HTTP \(response.status)" : "HTTP \(response.status): \(start)"
    }

    static func start(of response: HTTPResponse) -> String {
        clip(String(decoding: response.body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static func clip(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.count > 300 ? String(line.prefix(300)) + "…" : line
    }

    private func redact(_ text: String, _ token: String?) -> String { SecretRedaction.hiding(token, in: text) }
}

/// The client holds tokens: it prints as the variables that hold them, never their values.
extension DeploymentChecksClient: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "DeploymentChecksClient(tokens from \(tokens.keys.sorted().joined(separator: ", ")))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["tokenVariables": tokens.keys.sorted()], displayStyle: .struct) }
}
