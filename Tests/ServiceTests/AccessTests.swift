import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JSON
import Logging
import NIOCore
import Promotion
@testable import Service
import Store
import TestSupport
import Testing

/// `service.access` (DESIGN.md section 5): every route against no token, a `read` token, a `promote` token and a
/// wrong token; page sessions (HttpOnly, SameSite=Strict cookie, CSRF token on every POST); the proxy header only
/// from trusted addresses; `POST /v1/promotions` audited with the token's name.
@Suite struct AccessTests {
    static func config(access: String) -> String {
        """
        repository: {url: "file:///srv/gitops.git", branch: main}
        forge: {type: github, project: acme/gitops, tokenEnv: TOKEN}
        commit: {author: {name: promote-bot, email: bot@example.com}}
        environments:
          - {name: staging, path: "environments/staging/{model}.yaml", mode: push}
          - {name: production, path: "environments/production/{model}.yaml", mode: pull-request}
        models:
          jukebox: {allowedUris: ["gs://models/jukebox/"]}
        service:
          intake: {tokensEnv: [INTAKE_TOKEN]}
          access:
        \(access)
        """
    }

    static let tokens = """
            tokens:
              - {name: dashboards, tokenEnv: READ_TOKEN, scopes: [read]}
              - {name: ml-oncall, tokenEnv: OPS_TOKEN, scopes: [read, promote]}
        """

    static let environment = ["INTAKE_TOKEN": "t0ken", "READ_TOKEN": "r-token-123", "OPS_TOKEN": "o-token-456"]

    func server(access: String = tokens) throws -> PromoteServer {
        let repo = MemoryRepository(files: [
            "environments/staging/jukebox.yaml": ServiceRoutesTests.spec, "environments/production/jukebox.yaml": ServiceRoutesTests.spec,
        ])
        let forge = MemoryForge()
        let config = try ConfigDecoder.decode(yaml: .init(name: "promote.yaml", bytes: Array(Self.config(access: access).utf8)))
        let engine = PromotionEngine(config: config, store: try SQLiteStore(path: nil), repository: { _ in repo }, forge: { _ in forge })
        return try PromoteServer(engine: engine, registry: nil, listen: "127.0.0.1:0", environment: Self.environment, logger: Logger(label: "test"))
    }

    enum Credential: String, CaseIterable { case none, read, promote, wrong }

    static func headers(_ credential: Credential, json: Bool = false) -> HTTPFields {
        var fields: HTTPFields = json ? [.contentType: "application/json"] : [:]
        switch credential {
        case .none: break
        case .read: fields[.authorization] = "Bearer r-token-123"
        case .promote: fields[.authorization] = "Bearer o-token-456"
        case .wrong: fields[.authorization] = "Bearer o-token-457"
        }
        return fields
    }

    static let release = #"{"action": "release", "model": "jukebox", "version": "1.1.0", "uri": "gs://models/jukebox/1.1.0", "environment": "staging", "reason": "hotfix"}"#

    /// The contract's answer for every route and credential.
    @Test(arguments: [
        ("GET", "/v1/status", [401, 200, 200, 401]),
        ("GET", "/v1/audit", [401, 200, 200, 401]),
        ("GET", "/v1/promotions/p-unknown", [401, 404, 404, 401]),
        ("POST", "/v1/promotions", [401, 403, 202, 401]),
        ("GET", "/", [401, 200, 200, 401]),
        ("GET", "/models/jukebox", [401, 200, 200, 401]),
        ("GET", "/healthz", [200, 200, 200, 200]),
        ("GET", "/readyz", [200, 200, 200, 200]),
        ("GET", "/metrics", [200, 200, 200, 200]),
    ])
    func everyRouteAnswersAsTheContractSays(method: String, path: String, expected: [Int]) async throws {
        let server = try server()
        let app = Application(router: server.makeRouter())
        try await app.test(.router) { client in
            for (credential, status) in zip(Credential.allCases, expected) {
                let body = method == "POST" ? ByteBuffer(string: Self.release) : nil
                try await client.execute(
                    uri: path, method: HTTPRequest.Method(method)!, headers: Self.headers(credential, json: body != nil), body: body
                ) { response in
                    #expect(response.status.code == status, "\(method) \(path) with \(credential) token")
                    if status == 401 || status == 403 {
                        let type = response.headers[.contentType] ?? ""
                        if path.hasPrefix("/v1/") {
                            #expect(type == "application/problem+json")
                            let problem = try #require(JSONValue.parse(Data(response.body.readableBytesView)))
                            #expect(problem["status"]?.int == status)
                        } else {
                            #expect(type.hasPrefix("text/html"))
                            #expect(String(buffer: response.body).contains(#"<form method="post" action="/login""#))
                        }
                    }
                }
            }
        }
    }

    @Test func anAPIReleaseIsAuditedWithTheTokensName() async throws {
        let server = try server()
        let app = Application(router: server.makeRouter())
        try await app.test(.router) { client in
            let id = try await client.execute(
                uri: "/v1/promotions", method: .post, headers: Self.headers(.promote, json: true), body: ByteBuffer(string: Self.release)
            ) { response in
                #expect(response.status == .accepted)
                return try #require(JSONValue.parse(Data(response.body.readableBytesView))?["id"]?.string)
            }
            // Persisted before the answer, with the token's name as its origin.
            let record = try #require(try await server.handlers.store.promotion(id: id))
            #expect(record.origin == "ml-oncall" && record.request.environments == ["staging"])
            try await client.execute(uri: "/v1/audit?model=jukebox&since=1h", method: .get, headers: Self.headers(.read)) { response in
                let doc = try #require(JSONValue.parse(Data(response.body.readableBytesView)))
                let entries = try #require(doc["entries"]?.array)
                let requested = try #require(entries.first { $0["action"]?.string == "requested-release" })
                #expect(requested["actor"]?.string == "ml-oncall")
                #expect(requested["version"]?.string == "1.1.0")
                #expect(requested["environment"]?.string == "staging")
                #expect(requested["detail"]?.string?.contains("hotfix") == true)
                for key in ["at", "actor", "action", "model", "environment", "version", "detail"] { #expect(requested[key] != nil, "\(key)") }
            }
            try await client.execute(uri: "/v1/audit?since=yesterday", method: .get, headers: Self.headers(.read)) { response in
                #expect(response.status == .badRequest)
            }
            // An action the service does not offer: 422 naming the ones it does, nothing stored.
            let before = try await server.handlers.store.promotions(model: "jukebox", limit: 10).count
            try await client.execute(
                uri: "/v1/promotions", method: .post, headers: Self.headers(.promote, json: true),
                body: ByteBuffer(string: #"{"action": "promote-everything", "model": "jukebox"}"#)
            ) { response in
                #expect(response.status == .unprocessableContent)
                #expect(String(buffer: response.body).contains("must be one of release, rollback, advance"))
            }
            // Advance with nothing verified in a `from` waiting to enter: 409 saying so, nothing started.
            try await client.execute(
                uri: "/v1/promotions", method: .post, headers: Self.headers(.promote, json: true),
                body: ByteBuffer(string: #"{"action": "advance", "model": "jukebox"}"#)
            ) { response in
                #expect(response.status == .conflict)
                #expect(String(buffer: response.body).contains("nothing-to-advance"))
            }
            #expect(try await server.handlers.store.promotions(model: "jukebox", limit: 10).count == before)
            try await client.execute(
                uri: "/v1/promotions", method: .post, headers: Self.headers(.promote, json: true),
                body: ByteBuffer(string: #"{"action": "release", "model": "jukebox", "colour": "red"}"#)
            ) { response in
                #expect(response.status == .unprocessableContent)
                let text = String(buffer: response.body)
                #expect(text.contains("colour") && text.contains("version") && text.contains("uri"))
            }
        }
    }

    @Test func eventIntakeRefusesRollbackKeys() async throws {
        let server = try server()
        let app = Application(router: server.makeRouter())
        try await app.test(.router) { client in
            let event = #"{"model": "jukebox", "version": "1.0.0", "uri": "gs://models/jukebox/1.0.0", "idempotencyKey": "rollback:x"}"#
            try await client.execute(
                uri: "/v1/events", method: .post, headers: [.authorization: "Bearer t0ken", .contentType: "application/json"],
                body: ByteBuffer(string: event)
            ) { response in
                #expect(response.status == .unprocessableContent)
            }
        }
    }

    func login(_ client: any TestClientProtocol, token: String) async throws -> (cookie: String, csrf: String) {
        let cookie = try await client.execute(
            uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "token=\(token)")
        ) { response in
            #expect(response.status == .seeOther)
            let setCookie = try #require(response.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
            return String(try #require(setCookie.split(separator: ";").first))
        }
        let csrf = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]) { response in
            #expect(response.status == .ok)
            let page = String(buffer: response.body)
            let marker = try #require(page.range(of: #"name="csrf" value=""#))
            return String(page[marker.upperBound...].prefix { $0 != "\"" })
        }
        return (cookie, csrf)
    }

    @Test func pageSessionsNeedTheCSRFTokenOnEveryPost() async throws {
        let server = try server()
        let app = Application(router: server.makeRouter())
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "token=nope")
            ) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.setCookie] == nil)
            }
            let (cookie, csrf) = try await login(client, token: "o-token-456")
            #expect(csrf.count == 64)
            let form = "action=release&model=jukebox&environment=staging&version=1.2.0&uri=gs%3A%2F%2Fmodels%2Fjukebox%2F1.2.0"
            let formHeaders: HTTPFields = [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"]
            // No CSRF token, a wrong one, or a browser saying the post is cross-site: refused, nothing stored.
            for (body, extra) in [(form, HTTPFields()), (form + "&csrf=\(String(repeating: "0", count: 64))", [:]),
                                  (form + "&csrf=\(csrf)", [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"]),
                                  (form + "&csrf=\(csrf)", [HTTPField.Name("Origin")!: "https://evil.example"])] {
                var headers = formHeaders
                headers.append(contentsOf: extra)
                try await client.execute(uri: "/actions", method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .forbidden)
                }
            }
            #expect(try await server.handlers.store.promotions(model: "jukebox", limit: 10).isEmpty)
            // Without the cookie (a cross-site request a SameSite=Strict cookie is not sent with): the login form.
            try await client.execute(
                uri: "/actions", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: form + "&csrf=\(csrf)")
            ) { response in
                #expect(response.status == .unauthorized)
            }
            let location = try await client.execute(uri: "/actions", method: .post, headers: formHeaders, body: ByteBuffer(string: form + "&csrf=\(csrf)")) { response in
                #expect(response.status == .seeOther)
                return try #require(response.headers[.location])
            }
            let id = String(try #require(location.split(separator: "=").last))
            #expect(try await server.handlers.store.promotion(id: id)?.origin == "ml-oncall")
            // A read-only session sees the page but no forms, and cannot post.
            let (readCookie, readCSRF) = try await login(client, token: "r-token-123")
            try await client.execute(uri: "/", method: .get, headers: [.cookie: readCookie]) { response in
                #expect(!String(buffer: response.body).contains(#"action="/actions""#))
            }
            try await client.execute(
                uri: "/actions", method: .post, headers: [.cookie: readCookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: form + "&csrf=\(readCSRF)")
            ) { response in
                #expect(response.status == .forbidden)
            }
            // Logging out ends the session.
            try await client.execute(
                uri: "/logout", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "csrf=\(csrf)")
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.setCookie]?.contains("Max-Age=0") == true)
            }
            try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func publicReadOpensTheReadsOnly() async throws {
        let server = try server(access: "    publicRead: true")
        let app = Application(router: server.makeRouter())
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/status", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/promotions", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: Self.release)) {
                #expect($0.status == .unauthorized)
            }
        }
    }

    @Test(arguments: [("127.0.0.1", 200), ("10.9.9.9", 401)])
    func theProxyHeaderIsTrustedOnlyFromConfiguredAddresses(proxy: String, expected: Int) async throws {
        let server = try server(access: """
                proxyUserHeader: X-Forwarded-User
                trustedProxies: [\(proxy)]
            """)
        let app = Application(router: server.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await client.execute(uri: "/v1/status", method: .get, headers: [HTTPField.Name("X-Forwarded-User")!: "alice"]) { response in
                #expect(response.status.code == expected)
            }
            try await client.execute(uri: "/v1/promotions", method: .post, headers: [HTTPField.Name("X-Forwarded-User")!: "alice"], body: ByteBuffer(string: Self.release)) { response in
                #expect(response.status.code == (expected == 200 ? 403 : 401), "a proxied user gets only proxyScopes (read)")
            }
        }
    }

    @Test func accessConfigIsCheckedWhenRead() throws {
        let bad = Self.config(access: """
                tokens:
                  - {name: x, tokenEnv: X, scopes: [write]}
                proxyUserHeader: X-User
            """)
        #expect(throws: ConfigError.self) { try ConfigDecoder.decode(yaml: .init(name: "promote.yaml", bytes: Array(bad.utf8))) }
        // A token whose variable is not set stops the service, naming the variable.
        let config = try ConfigDecoder.decode(yaml: .init(name: "promote.yaml", bytes: Array(Self.config(access: Self.tokens).utf8)))
        #expect(throws: ServiceSetupError.self) { _ = try AccessControl(settings: config.service.access, environment: [:]) }
    }
}
