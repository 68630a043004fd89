public import JSON
public import Promotion
public import CurlHTTP
internal import Foundation
internal import Logging
internal import Synchronization

/// Sends forge API requests over libcurl: auth and API headers, retries with jittered backoff that honour
/// `Retry-After` and rate-limit resets, the request budget, and errors that carry the forge's own message.
public final class ForgeTransport: Sendable {
    /// How a request may be retried.
    public enum Idempotency: Sendable {
        /// Safe to repeat after any transient failure (reads, PUT/PATCH/DELETE, create-PR with its lookup).
        case idempotent
        /// Repeated only when the forge certainly did not act on it: rate limits and connection failures.
        case once
    }

    public let config: ForgeConfig
    private let pool: CurlWorkerPool
    private let authHeaders: HTTPHeaders
    private let budgetState = BudgetState()
    private var logger: Logger { config.logger }
    private let baseURL: URL?

    /// `authHeaders` are sent with every request (the forge's auth and API-version headers).
    public init(config: ForgeConfig, authHeaders: HTTPHeaders, pool: CurlWorkerPool? = nil) {
        self.config = config
        var options = config.http
        options.userAgent = config.userAgent
        self.pool = pool ?? CurlWorkerPool(threads: 2, options: options)
        self.authHeaders = authHeaders
        self.baseURL = URL(string: config.apiBase)
    }

    /// The request budget so far.
    public func budget() -> RequestBudget { budgetState.snapshot() }

    /// The absolute URL of `path` (relative to the API base) plus `query`.
    public func url(_ path: String, query: [(String, String)] = []) -> String {
        var u = config.apiBase + path
        if !query.isEmpty {
            u += "?" + query.map { "\(Self.escapeQuery($0.0))=\(Self.escapeQuery($0.1))" }.joined(separator: "&")
        }
        return u
    }

    /// Sends one request and returns its 2xx response; retries transient failures; throws ``ForgeFailure`` otherwise.
    public func send(
        _ method: String, _ path: String, query: [(String, String)] = [], json: JSONValue? = nil,
        idempotency: Idempotency = .idempotent
    ) async throws(ForgeFailure) -> ForgeResponse {
        try await send(method, absoluteURL: url(path, query: query), json: json, idempotency: idempotency)
    }

    /// Like ``send(_:_:query:json:idempotency:)`` for an absolute URL (a pagination link).
    public func send(
        _ method: String, absoluteURL: String, json: JSONValue? = nil, idempotency: Idempotency = .idempotent
    ) async throws(ForgeFailure) -> ForgeResponse {
        let shown = "\(method) \(Self.pathOnly(absoluteURL))"
        var headers = authHeaders
        headers.set("User-Agent", config.userAgent)
        if headers["Accept"] == nil { headers.set("Accept", "application/json") }
        if json != nil { headers.set("Content-Type", "application/json") }
        let request = HTTPRequest(method: method, url: absoluteURL, headers: headers, body: json?.encoded())
        let policy = config.retry
        var attempt = 0
        while true {
            attempt += 1
            budgetState.count(retry: attempt > 1)
            let response: HTTPResponse
            do {
                response = try await pool.perform(request)
            } catch {
                let retryable = error.kind == .connect || (idempotency == .idempotent && error.isTransient)
                if retryable && attempt < policy.maxAttempts {
                    let wait = policy.backoff(afterAttempt: attempt)
                    logger.notice("forge request failed, retrying", metadata: [
                        "request": "\(shown)", "error": "\(error.kind.rawValue)", "wait_ms": "\(wait.msValue)"])
                    try await sleep(wait, shown)
                    continue
                }
                let kind: ForgeFailure.Kind = error.kind == .responseTooLarge ? .unexpectedResponse : .transport
                throw ForgeFailure(kind: kind, request: shown, status: nil,
                                   message: redact("\(error.message) (curl code \(error.code), \(attempt) attempt\(attempt == 1 ? "" : "s"))"))
            }
            budgetState.update(from: response.headers)
            if (200..<300).contains(response.status) {
                return ForgeResponse(status: response.status, headers: response.headers, body: response.body, request: shown)
            }
            let status = response.status
            let message = redact(Self.forgeMessage(response))
            let rateLimited = status == 429 || (status == 403 && Self.isRateLimit403(response))
            if rateLimited { budgetState.countRateLimit() }
            let retryable = rateLimited || (idempotency == .idempotent && [500, 502, 503, 504].contains(status))
            guard retryable else {
                var text = message
                if status == 401 {
                    let source = config.tokenSource.map { "the token in \($0)" } ?? "the forge token"
                    text += " (the forge refused \(source): check that it is set, valid and not expired)"
                }
                throw ForgeFailure(kind: Self.kind(status), request: shown, status: status, message: text)
            }
            let wait = serverWait(response, rateLimited: rateLimited) ?? policy.backoff(afterAttempt: attempt)
            if wait > policy.maxServerWait {
                throw ForgeFailure(kind: rateLimited ? .rateLimited : .server, request: shown, status: status,
                                   message: "\(message) (the forge asks to wait \(wait.msValue / 1000) s, more than the \(policy.maxServerWait.msValue / 1000) s allowed)")
            }
            guard attempt < policy.maxAttempts else {
                throw ForgeFailure(kind: rateLimited ? .rateLimited : .server, request: shown, status: status,
                                   message: "\(message) (gave up after \(attempt) attempts)")
            }
            logger.notice("forge request retried", metadata: [
                "request": "\(shown)", "status": "\(status)", "wait_ms": "\(wait.msValue)"])
            try await sleep(wait, shown)
        }
    }

    /// Follows pages: the first is requested, then each `Link: rel="next"` (or what `nextURL(body, response,
    /// itemCount, currentURL)` returns) until none is left or `maxPages` is reached. `items` extracts the page's
    /// elements; `stop` ends early when it returns true. A page that is not a list (`items` returns nil) is an
    /// ``ForgeFailure/Kind/unexpectedResponse``.
    public func paginate(
        _ path: String, query: [(String, String)], maxPages: Int = 1000,
        items: (JSONValue) -> [JSONValue]? = { $0.array },
        nextURL: ((JSONValue, ForgeResponse, Int, String) -> String?)? = nil,
        stop: ([JSONValue]) -> Bool = { _ in false }
    ) async throws(ForgeFailure) -> [JSONValue] {
        var all: [JSONValue] = []
        var next: String? = url(path, query: query)
        var pages = 0
        while let target = next, pages < maxPages {
            pages += 1
            let response = try await send("GET", absoluteURL: target)
            let doc = try response.json()
            guard let page = items(doc) else {
                throw ForgeFailure(
                    kind: .unexpectedResponse, request: "GET \(Self.pathOnly(target))", status: response.status,
                    message: "the answer is not a list of items (\(doc.typeDescription))")
            }
            all.append(contentsOf: page)
            if stop(page) { break }
            next = nextURL.map { $0(doc, response, page.count, target) } ?? response.nextLink
            if next == target { break }
        }
        return all
    }

    private func sleep(_ d: Duration, _ shown: String) async throws(ForgeFailure) {
        do { try await config.retry.sleeper.sleep(for: d) } catch {
            throw ForgeFailure(kind: .transport, request: shown, status: nil, message: "cancelled while waiting to retry")
        }
    }

    /// The wait the forge asked for: `Retry-After` (seconds or HTTP date), else a rate-limit reset time,
    /// else GitHub's "at least a minute" for a secondary limit without either.
    private func serverWait(_ r: HTTPResponse, rateLimited: Bool) -> Duration? {
        if let ra = r.headers["Retry-After"]?.trimmingCharacters(in: .whitespaces) {
            if let s = Double(ra) { return .milliseconds(Int(max(0, s) * 1000)) }
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
            if let d = f.date(from: ra) { return .milliseconds(Int(max(0, d.timeIntervalSinceNow) * 1000)) }
        }
        guard rateLimited else { return nil }
        let remaining = r.headers["x-ratelimit-remaining"] ?? r.headers["RateLimit-Remaining"]
        if remaining == "0", let reset = (r.headers["x-ratelimit-reset"] ?? r.headers["RateLimit-Reset"]).flatMap(Double.init) {
            let seconds = reset > 1_000_000_000 ? reset - Date().timeIntervalSince1970 : reset
            return .milliseconds(Int(max(1, seconds) * 1000))
        }
        if r.status == 403 { return config.retry.secondaryLimitWait }
        return nil
    }

    /// A 403 that is a rate limit (GitHub primary or secondary), not a permission problem.
    static func isRateLimit403(_ r: HTTPResponse) -> Bool {
        if r.headers["Retry-After"] != nil { return true }
        if r.headers["x-ratelimit-remaining"] == "0" { return true }
        let m = forgeMessage(r).lowercased()
        return m.contains("secondary rate limit") || m.contains("rate limit exceeded") || m.contains("abuse detection")
    }

    static func kind(_ status: Int) -> ForgeFailure.Kind {
        switch status {
        case 401: .unauthorized
        case 403: .forbidden
        case 404, 410: .notFound
        case 405, 406, 409, 412, 423: .conflict
        case 400, 422: .invalid
        case 429: .rateLimited
        case 500...: .server
        default: .unexpectedResponse
        }
    }

    /// The forge's own message: GitHub `message` + `errors[].message`, GitLab `message` (string, array or object)
    /// or `error`, Gitea `message`, Bitbucket `error.message`; else the start of the body.
    static func forgeMessage(_ r: HTTPResponse) -> String {
        guard let doc = JSONValue.parse(r.body) else {
            let text = String(decoding: r.body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? "HTTP \(r.status) with an empty body" : "HTTP \(r.status): \(text)"
        }
        var parts: [String] = []
        func flatten(_ v: JSONValue?) -> String? {
            switch v {
            case .string(let s)?: return s
            case .array(let a)?: return a.compactMap { flatten($0) }.joined(separator: "; ")
            case .object(let o)?:
                if let m = o["message"] { return flatten(m) }
                return o.sorted { $0.key < $1.key }.map { "\($0.key) \(flatten($0.value) ?? "")" }.joined(separator: "; ")
            case .number(let d)?: return String(d)
            default: return nil
            }
        }
        if let m = flatten(doc["message"]) { parts.append(m) }
        if let errors = doc["errors"]?.array {
            let details = errors.compactMap { e in e["message"]?.string ?? e["code"]?.string.map { c in "\(e["field"]?.string ?? "") \(c)" } }
            if !details.isEmpty { parts.append(details.joined(separator: "; ")) }
        }
        if parts.isEmpty, let e = doc["error"] {
            if let s = e.string {
                parts.append(doc["error_description"]?.string.map { "\(s): \($0)" } ?? s)
            } else if let m = flatten(e) { parts.append(m) }
        }
        return parts.isEmpty ? "HTTP \(r.status)" : parts.joined(separator: ": ")
    }

    private func redact(_ s: String) -> String { SecretRedaction.hiding(config.token, in: s) }

    /// The URL's path (with its percent-escapes), no scheme, host or query.
    static func pathOnly(_ url: String) -> String {
        var u = Substring(url)
        if let r = u.range(of: "://") { u = u[r.upperBound...]; u = u[(u.firstIndex(of: "/") ?? u.endIndex)...] }
        if let q = u.firstIndex(of: "?") { u = u[..<q] }
        return u.isEmpty ? "/" : String(u)
    }

    /// `url` with its query parameter `name` set to `value`.
    public static func setting(_ name: String, to value: String, in url: String) -> String {
        let parts = url.split(separator: "?", maxSplits: 1)
        var pairs = parts.count > 1 ? parts[1].split(separator: "&").map(String.init) : []
        pairs.removeAll { $0 == name || $0.hasPrefix(name + "=") }
        pairs.append("\(name)=\(escapeQuery(value))")
        return String(parts[0]) + "?" + pairs.joined(separator: "&")
    }

    static func escapeQuery(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~:")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    /// Percent-encodes one path segment (`/` included), as forges expect for project paths and branch names.
    public static func escapeSegment(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}

/// The mutable request budget behind a mutex.
private final class BudgetState: Sendable {
    private let value = Mutex(RequestBudget())

    func snapshot() -> RequestBudget { value.withLock { $0 } }
    func count(retry: Bool) { value.withLock { $0.requests += 1; if retry { $0.retries += 1 } } }
    func countRateLimit() { value.withLock { $0.rateLimited += 1 } }
    func update(from h: HTTPHeaders) {
        let remaining = (h["x-ratelimit-remaining"] ?? h["RateLimit-Remaining"]).flatMap { Int($0) }
        let limit = (h["x-ratelimit-limit"] ?? h["RateLimit-Limit"]).flatMap { Int($0) }
        let reset = (h["x-ratelimit-reset"] ?? h["RateLimit-Reset"]).flatMap { Double($0) }
        value.withLock { value in
            if let remaining { value.remaining = remaining }
            if let limit { value.limit = limit }
            if let reset, reset > 1_000_000_000 { value.resetsAt = Date(timeIntervalSince1970: reset) }
        }
    }
}

extension Duration {
    var msValue: Int { Int(components.seconds) * 1000 + Int(components.attoseconds / 1_000_000_000_000_000) }
}
