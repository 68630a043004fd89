import Foundation
import Hummingbird
import HummingbirdTesting
import JSON
import Logging
import Promotion
@testable import Service
import Store
import TestSupport
import Testing

/// The routes over in-memory ports (the memory repository and forge, an in-memory SQLite store), through
/// Hummingbird's router: intake, the queue drained by the workers, reads, and problems. The real binary, real git
/// and the stand-in forge are exercised by Tests/python/test_serve_e2e.py.
@Suite struct ServiceRoutesTests {
    static let spec = """
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata: {name: jukebox}
        spec:
          predictors:
            - graph: {name: jukebox, modelUri: gs://models/jukebox/1.0.0}  # set by promote
        """

    static let config = """
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
          access: {publicRead: true}
        """

    struct World: @unchecked Sendable {
        let repo: MemoryRepository
        let forge: MemoryForge
        let server: PromoteServer
    }

    func world() throws -> World {
        let repo = MemoryRepository(files: [
            "environments/staging/jukebox.yaml": Self.spec, "environments/production/jukebox.yaml": Self.spec,
        ])
        let forge = MemoryForge()
        let config = try ConfigDecoder.decode(yaml: .init(name: "promote.yaml", bytes: Array(Self.config.utf8)))
        let engine = PromotionEngine(config: config, store: try SQLiteStore(path: nil), repository: { _ in repo }, forge: { _ in forge })
        let server = try PromoteServer(
            engine: engine, registry: nil, listen: "127.0.0.1:0", environment: ["INTAKE_TOKEN": "t0ken"], logger: Logger(label: "test"))
        return World(repo: repo, forge: forge, server: server)
    }

    static let auth: HTTPFields = [.authorization: "Bearer t0ken", .contentType: "application/json"]

    func body(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    @Test func anAcceptedEventIsQueuedThenRunByTheWorkers() async throws {
        let w = try world()
        let app = Application(router: w.server.makeRouter())
        try await app.test(.router) { client in
            let event = #"{"model": "jukebox", "version": "1.1.0", "uri": "gs://models/jukebox/1.1.0"}"#
            let id = try await client.execute(uri: "/v1/events", method: .post, headers: Self.auth, body: body(event)) { response in
                #expect(response.status == .accepted)
                let json = try #require(JSONValue.parse(Data(response.body.readableBytesView)))
                #expect(json["status"]?.string == "queued")
                #expect(response.headers[.location] == json["statusUrl"]?.string)
                return try #require(json["id"]?.string)
            }
            // The same event again: the same promotion, nothing new queued.
            try await client.execute(uri: "/v1/events", method: .post, headers: Self.auth, body: body(event)) { response in
                #expect(response.status == .accepted)
                #expect(JSONValue.parse(Data(response.body.readableBytesView))?["id"]?.string == id)
            }
            await w.server.workers.dispatch()
            let store = w.server.handlers.store
            try await waitUntil { try await store.promotion(id: id)?.state == .awaitingReview }
            #expect(w.forge.pullRequests.count == 1)
            try await client.execute(uri: "/v1/promotions/\(id)", method: .get) { response in
                let json = try #require(JSONValue.parse(Data(response.body.readableBytesView)))
                #expect(json["state"]?.string == "awaiting-review")
                #expect(json["steps"]?.array?.compactMap { $0["action"]?.string } == ["pushed", "pr-opened"])
            }
            #expect(w.repo.file("environments/staging/jukebox.yaml", on: "main")?.contains("1.1.0") == true)
        }
    }

    @Test func refusalsAreProblemsAndStoreNothing() async throws {
        let w = try world()
        let app = Application(router: w.server.makeRouter())
        try await app.test(.router) { client in
            let cases: [(HTTPFields, String, HTTPResponse.Status, String?)] = [
                ([.contentType: "application/json"], #"{"model": "jukebox"}"#, .unauthorized, nil),
                ([.authorization: "Bearer nope", .contentType: "application/json"], "{}", .unauthorized, nil),
                (Self.auth, "{not json", .badRequest, nil),
                (Self.auth, #"{"model": "../x", "version": "1", "uri": "gs://models/jukebox/1"}"#, .unprocessableContent, "model"),
                (Self.auth, #"{"model": "jukebox", "version": "1", "uri": "gs://elsewhere/1"}"#, .unprocessableContent, nil),
                ([.authorization: "Bearer t0ken", .contentType: "text/plain"], "{}", .unsupportedMediaType, nil),
            ]
            for (headers, text, status, field) in cases {
                try await client.execute(uri: "/v1/events", method: .post, headers: headers, body: body(text)) { response in
                    #expect(response.status == status, "\(text)")
                    #expect(response.headers[.contentType] == "application/problem+json")
                    let problem = try #require(JSONValue.parse(Data(response.body.readableBytesView)))
                    #expect(problem["status"]?.int == Int(status.code))
                    if let field {
                        #expect(problem["errors"]?.array?.contains { $0["field"]?.string == field } == true)
                    }
                }
            }
            try await client.execute(uri: "/v1/events", method: .post, headers: Self.auth, body: ByteBuffer(repeating: 0x20, count: (1 << 20) + 1)) {
                #expect($0.status == .contentTooLarge)
            }
            try await client.execute(uri: "/nowhere", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
        }
        #expect(try await w.server.handlers.store.promotions(model: nil, limit: 10).isEmpty)
    }

    @Test func listenAddresses() throws {
        #expect(try PromoteServer.parseListen("127.0.0.1:8080") == ("127.0.0.1", 8080))
        #expect(try PromoteServer.parseListen("[::1]:0") == ("::1", 0))
        #expect(try PromoteServer.parseListen(":9000") == ("0.0.0.0", 9000))
        #expect(throws: ServiceSetupError.self) { try PromoteServer.parseListen("localhost") }
    }

    @Test func serveRefusesToStartWithoutIntakeSecrets() throws {
        let config = try ConfigDecoder.decode(yaml: .init(name: "p.yaml", bytes: Array(Self.config.replacingOccurrences(of: "intake: {tokensEnv: [INTAKE_TOKEN]}", with: "listen: 127.0.0.1:0").utf8)))
        let engine = PromotionEngine(config: config, store: try SQLiteStore(path: nil), repository: { _ in MemoryRepository(files: [:]) }, forge: { _ in MemoryForge() })
        #expect(throws: ServiceSetupError.self) {
            try PromoteServer(engine: engine, registry: nil, listen: "127.0.0.1:0", environment: [:], logger: Logger(label: "t"))
        }
    }

    func waitUntil(_ condition: () async throws -> Bool) async throws {
        for _ in 0..<250 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("the condition did not hold within 5 s")
    }
}
