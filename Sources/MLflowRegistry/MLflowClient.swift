public import CurlHTTP
public import Promotion
internal import Foundation
internal import JSON
public import Logging

/// The MLflow model registry (OSS MLflow 3.x) over its REST API (`<base>/api/2.0/mlflow/...`), through CurlHTTP.
///
/// ``resolve(model:version:)`` completes what a webhook delivery lacks: it waits for the version to be READY,
/// resolves its `source` (`runs:/`, `models:/m-…`, `models:/<name>/<version>`) to an artifact location, maps
/// `mlflow-artifacts:/` onto the server's artifacts destination when one is configured, and reads the metrics.
/// Failures are ``RegistryError``s naming the endpoint and MLflow's `error_code` and `message`; the token never
/// appears in an error or a log line.
public struct MLflowClient: ModelRegistry {
    /// The server's base URL, without a trailing slash (`http://mlflow.internal:5000`).
    public let baseURL: String
    /// The base URL without any `user:password@`, for messages and run links.
    let shownBase: String
    /// Where `mlflow-artifacts:/X` is stored (`mlflow server --artifacts-destination`), without a trailing slash.
    public let artifactsDestination: String?
    let retry: MLflowRetryPolicy
    private let transport: any MLflowTransport
    private let authorization: String?
    private let token: String?
    private let logger: Logger

    /// The most `models:/<name>/<version>` hops ``resolve(model:version:)`` follows.
    public static let maxSourceDepth = 5

    /// The timeouts used when the client starts its own worker pool: MLflow answers registry calls quickly.
    public static let defaultOptions = CurlOptions(connectTimeout: .seconds(5), totalTimeout: .seconds(30), lowSpeedTime: .seconds(15))

    /// - Parameters:
    ///   - baseURL: the MLflow server (`http(s)://host:port`, optionally with a path prefix).
    ///   - token: sent as `Authorization: Bearer <token>` (MLflow behind an auth proxy or with token auth); nil sends none.
    ///   - artifactsDestination: the bucket behind the artifact proxy; nil keeps `mlflow-artifacts:/` URIs as they are.
    ///   - pool: worker threads shared with other clients; by default the client starts its own two with `options`.
    ///   - options: timeouts and limits for the client's own pool (ignored when `pool` is given).
    ///   - retry: retries of connection failures, timeouts, 429 and 5xx.
    public init(
        baseURL: String, token: String? = nil, artifactsDestination: String? = nil, pool: CurlWorkerPool? = nil,
        options: CurlOptions = MLflowClient.defaultOptions, retry: MLflowRetryPolicy = MLflowRetryPolicy(),
        logger: Logger = Logger(label: "promote.mlflow")
    ) {
        self.init(
            baseURL: baseURL, token: token, artifactsDestination: artifactsDestination,
            transport: pool ?? CurlWorkerPool(threads: 2, options: options), retry: retry, logger: logger)
    }

    /// From the `mlflow` settings of `promote serve`: the token is read from the variable `settings.tokenEnv` names.
    public init(
        settings: ServiceSettings.MLflow, environment: [String: String], pool: CurlWorkerPool? = nil,
        options: CurlOptions = MLflowClient.defaultOptions, retry: MLflowRetryPolicy = MLflowRetryPolicy(),
        logger: Logger = Logger(label: "promote.mlflow")
    ) {
        let token = settings.tokenEnv.flatMap { environment[$0] }.flatMap { $0.isEmpty ? nil : $0 }
        self.init(
            baseURL: settings.url, token: token, artifactsDestination: settings.artifactsDestination, pool: pool,
            options: options, retry: retry, logger: logger)
    }

    /// The seam for unit tests: any transport.
    init(
        baseURL: String, token: String?, artifactsDestination: String?, transport: any MLflowTransport, retry: MLflowRetryPolicy,
        logger: Logger = Logger(label: "promote.mlflow")
    ) {
        self.logger = logger
        self.baseURL = Self.trimmingSlashes(baseURL)
        self.shownBase = Self.withoutUserinfo(self.baseURL)
        self.artifactsDestination = artifactsDestination.map(Self.trimmingSlashes).flatMap { $0.isEmpty ? nil : $0 }
        self.transport = transport
        self.retry = retry
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
        self.authorization = self.token.map { "Bearer \($0)" }
    }

    // MARK: - ModelRegistry

    public func resolve(model: String, version: String) async throws -> RegistryVersion {
        try await resolveVersion(model: model, version: version)
    }

    public func version(model: String, alias: String) async throws -> String? {
        do {
            let doc = try await call("GET", "registered-models/alias", query: [("name", model), ("alias", alias)])
            guard let found = Self.versionString(doc["model_version"]?["version"]) else {
                throw RegistryError(.invalidResponse, "MLflow GET registered-models/alias: the answer has no model_version.version")
            }
            return found
        } catch let error as RegistryError where error.kind == .notFound {
            return nil
        }
    }

    public func setAlias(_ alias: String, model: String, version: String) async throws {
        _ = try await call(
            "POST", "registered-models/alias",
            json: ["name": .string(model), "alias": .string(alias), "version": .string(version)])
    }

    public func setTags(_ tags: [String: String], model: String, version: String) async throws {
        // One call per tag, in key order; the first failure ends it (no `throw` inside the loop, see `retrying`).
        var failure: RegistryError?
        for (key, value) in tags.sorted(by: { $0.key < $1.key }) {
            failure = await setTag(key, value, model: model, version: version)
            if failure != nil { break }
        }
        if let failure { throw failure }
    }

    /// Sets one version tag (`POST model-versions/set-tag`); returns the failure, if any.
    private func setTag(_ key: String, _ value: String, model: String, version: String) async -> RegistryError? {
        do {
            _ = try await call(
                "POST", "model-versions/set-tag",
                json: ["name": .string(model), "version": .string(version), "key": .string(key), "value": .string(value)])
            return nil
        } catch {
            return error
        }
    }

    // MARK: - HTTP

    /// Sends one call to `<base>/api/2.0/mlflow/<endpoint>` and returns the parsed 2xx body, retrying passing failures.
    func call(
        _ method: String, _ endpoint: String, query: [(String, String)] = [], json: JSONValue? = nil
    ) async throws(RegistryError) -> JSONValue {
        var url = "\(baseURL)/api/2.0/mlflow/\(endpoint)"
        if !query.isEmpty { url += "?" + query.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&") }
        var headers = HTTPHeaders()
        headers.set("Accept", "application/json")
        if let authorization { headers.set("Authorization", authorization) }
        if json != nil { headers.set("Content-Type", "application/json") }
        let request = HTTPRequest(method: method, url: url, headers: headers, body: json?.encoded())
        let shown = "MLflow \(method) \(endpoint)"
        let response = try await exchange(request, shown: shown)
        guard (200..<300).contains(response.status) else { throw failure(response, shown: shown) }
        guard let doc = JSONValue.parse(response.body), case .object = doc else {
            let start = redact(String(decoding: response.body.prefix(120), as: UTF8.self))
            throw RegistryError(.invalidResponse, "\(shown): HTTP \(response.status) with a body that is not a JSON object: \(start)")
        }
        return doc
    }

    /// Performs `request`, retrying connection failures, timeouts, 429 and 5xx as ``retry`` allows. Returns the first
    /// response that is not retried (any status).
    private func exchange(_ request: HTTPRequest, shown: String) async throws(RegistryError) -> HTTPResponse {
        try await retrying(request, shown: shown).get()
    }

    /// The retry loop. It throws nothing itself (the Swift 6.3 optimiser has crashed on `await` beside `throw` in a loop).
    private func retrying(_ request: HTTPRequest, shown: String) async -> Result<HTTPResponse, RegistryError> {
        var attempt = 0
        while true {
            attempt += 1
            switch await attemptOnce(request, shown: shown, attempt: attempt) {
            case .done(let response): return .success(response)
            case .fail(let error): return .failure(error)
            case .retry(let wait, let reason):
                logger.notice("MLflow request retried", metadata: [
                    "request": "\(shown)", "reason": "\(reason)", "attempt": "\(attempt)", "wait": "\(wait)"])
                guard await Self.pause(wait) else {
                    return .failure(RegistryError(.unavailable, "\(shown): cancelled while waiting to retry"))
                }
            }
        }
    }

    /// Sleeps; false when the task was cancelled.
    private static func pause(_ duration: Duration) async -> Bool {
        do {
            try await Task.sleep(for: duration)
            return true
        } catch {
            return false
        }
    }

    private enum Outcome {
        case done(HTTPResponse)
        case retry(Duration, String)
        case fail(RegistryError)
    }

    /// One attempt and the decision about it (kept out of the loop above on purpose: no `throw` beside `await` there).
    private func attemptOnce(_ request: HTTPRequest, shown: String, attempt: Int) async -> Outcome {
        let plural = attempt == 1 ? "" : "s"
        let response: HTTPResponse
        do {
            response = try await transport.perform(request)
        } catch {
            let transient = error.isTransient
            if transient && attempt < retry.maxAttempts { return .retry(retry.backoff(afterAttempt: attempt), error.kind.rawValue) }
            let kind: RegistryError.Kind = error.kind == .responseTooLarge ? .invalidResponse : .unavailable
            return .fail(RegistryError(
                kind, "\(shown): MLflow at \(shownBase) could not be reached: \(redact(error.message)) (curl \(error.kind.rawValue), \(attempt) attempt\(plural))"))
        }
        let status = response.status
        guard status == 429 || [500, 502, 503, 504].contains(status) else { return .done(response) }
        let wait = Self.retryAfter(response) ?? retry.backoff(afterAttempt: attempt)
        if wait > retry.maxServerWait {
            return .fail(RegistryError(.unavailable, "\(shown): \(describe(response)) (MLflow asks to wait longer than \(retry.maxServerWait))"))
        }
        guard attempt < retry.maxAttempts else {
            return .fail(RegistryError(.unavailable, "\(shown): \(describe(response)) (gave up after \(attempt) attempt\(plural))"))
        }
        return .retry(wait, "HTTP \(status)")
    }

    /// The error for a non-2xx answer that is not retried.
    private func failure(_ response: HTTPResponse, shown: String) -> RegistryError {
        let doc = JSONValue.parse(response.body)
        let code = doc?["error_code"]?.string
        // MLflow 3.17.2 answers an unset alias with 400 INVALID_PARAMETER_VALUE "Registered model alias X not found."
        let missing = code == "RESOURCE_DOES_NOT_EXIST"
            || (code == "INVALID_PARAMETER_VALUE" && (doc?["message"]?.string ?? "").lowercased().contains("not found"))
        let text = "\(shown): \(describe(response))"
        switch response.status {
        case 401, 403:
            let hint = token == nil ? "no token was sent; set mlflow.tokenEnv" : "the token was refused"
            return RegistryError(.unauthorized, "\(text) (\(hint))")
        case 404: return RegistryError(.notFound, text)
        case 500...: return RegistryError(.unavailable, text)
        default:
            return RegistryError(missing ? .notFound : .invalidResponse, text)
        }
    }

    /// `HTTP 404 RESOURCE_DOES_NOT_EXIST: <message>` from MLflow's error body, or the start of a non-JSON body.
    private func describe(_ response: HTTPResponse) -> String {
        if let doc = JSONValue.parse(response.body), let code = doc["error_code"]?.string {
            let message = doc["message"]?.string.map { ": \(Self.clip($0))" } ?? ""
            return redact("HTTP \(response.status) \(code)\(message)")
        }
        let text = String(decoding: response.body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return redact(text.isEmpty ? "HTTP \(response.status)" : "HTTP \(response.status): \(Self.clip(text))")
    }

    private func redact(_ text: String) -> String { SecretRedaction.hiding(token, in: text) }

    static func clip(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.count > 300 ? String(line.prefix(300)) + "…" : line
    }

    static func retryAfter(_ response: HTTPResponse) -> Duration? {
        guard let value = response.headers["Retry-After"].flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }) else { return nil }
        return .milliseconds(Int(max(0, value) * 1000))
    }

    /// Percent-encodes a query component: every byte but ASCII letters, digits and `-._~`.
    static func escape(_ s: String) -> String { PercentEncoding.component(s) }

    /// `scheme://user:password@host/...` → `scheme://host/...`.
    static func withoutUserinfo(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let hostEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        guard let at = rest[..<hostEnd].lastIndex(of: "@") else { return url }
        return String(url[..<schemeEnd.upperBound]) + String(rest[rest.index(after: at)...])
    }

    static func trimmingSlashes(_ s: String) -> String {
        var t = Substring(s.trimmingCharacters(in: .whitespaces))
        while t.hasSuffix("/") { t = t.dropLast() }
        return String(t)
    }

    /// A version number as MLflow writes it (a string; a number from other servers).
    static func versionString(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let s)? where !s.isEmpty: s
        case .number(let n)? where n.rounded() == n && n >= 0 && n < 1e15: String(Int(n))
        default: nil
        }
    }
}
