import Foundation
import PostgresNIO
import Testing
import Promotion
@testable import Store
import TestSupport

/// What only the PostgreSQL store has: its URL, its password, and how it fails.
@Suite(.serialized) struct PostgresStoreTests {
    @Test func theURLIsParsedAndAPasswordInItIsRefused() throws {
        let location = try PostgresLocation(url: "postgres://promote@db.internal:6543/state?sslmode=verify-full")
        #expect([location.user, location.host, "\(location.port)", location.database, location.sslMode] == ["promote", "db.internal", "6543", "state", "verify-full"])
        #expect("\(location)" == "postgres://promote@db.internal:6543/state")
        #expect(try PostgresLocation(url: "postgresql://u@h/d").port == 5432)
        #expect(try PostgresLocation(url: "postgresql://u@h/d").sslMode == "prefer")
        let secret = "hunter2-s3cret"
        let error = #expect(throws: StoreError.self) { try PostgresLocation(url: "postgres://u:\(secret)@h/d") }
        #expect(error.map { !"\($0)".contains(secret) && "\($0)".contains("statePasswordEnv") } == true)
        #expect(throws: StoreError.self) { try PostgresLocation(url: "postgres://u@h/d?sslmode=sometimes") }
        #expect(throws: StoreError.self) { try PostgresLocation(url: "postgres://u@h/") }
        #expect(throws: StoreError.self) { try PostgresLocation(url: "postgres://h/d") }
        // The password: the named variable (which must be set), else PGPASSWORD.
        #expect(try location.password(passwordEnv: "DB_PW", environment: ["DB_PW": "x", "PGPASSWORD": "y"]) == "x")
        #expect(try location.password(passwordEnv: nil, environment: ["PGPASSWORD": "y"]) == "y")
        #expect(throws: StoreError.self) { try location.password(passwordEnv: "DB_PW", environment: [:]) }
    }

    @Test func aWrongPasswordIsNamedWithoutThePassword() async throws {
        let server = try SharedPostgres.server()
        let wrong = "not-the-password-\(UUID().uuidString.prefix(6))"
        let error = await #expect(throws: StoreError.self) {
            _ = try await PostgresStore(
                location: try PostgresLocation(url: server.url()), password: wrong, logger: StorePlace.quiet, connectTimeout: .seconds(5))
        }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("postgres://promote@127.0.0.1:\(server.port)/promote"))
        #expect(!text.contains(wrong) && !text.contains(server.password))
    }

    @Test func aServerThatIsNotThereIsTemporarilyUnavailableWithinTheTimeout() async throws {
        let port = try GitPorts.free()
        let started = ContinuousClock.now
        let error = await #expect(throws: StoreError.self) {
            _ = try await PostgresStore(
                location: try PostgresLocation(url: "postgres://promote@127.0.0.1:\(port)/promote?sslmode=disable"), password: nil,
                logger: StorePlace.quiet, connectTimeout: .seconds(2))
        }
        #expect(error?.isTemporarilyUnavailable == true)
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func aClaimSkipsARowAnotherTransactionHoldsInsteadOfWaiting() async throws {
        let store = try #require(try await StoreKind.postgres.open() as? PostgresStore)
        let t0 = Date(timeIntervalSince1970: 1_700_000_000)
        let held = try await store.admit(
            try ReleaseRequest.validated(model: "jukebox", version: "1.0.0", uri: "gs://m/1.0.0"), origin: "api", now: t0).record.id
        let free = try await store.admit(
            try ReleaseRequest.validated(model: "jukebox", version: "1.0.1", uri: "gs://m/1.0.1"), origin: "api", now: t0).record.id
        let locked = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await store.transaction("hold a row") { c in
                _ = try await c.query("SELECT id FROM promotion WHERE id = \(held) FOR UPDATE", logger: store.logger)
                locked.continuation.yield()
                try await Task.sleep(for: .seconds(2))
            }
        }
        for await _ in locked.stream { break }
        let started = ContinuousClock.now
        #expect(try await store.claim([held, free], for: "r2") == [free])
        #expect(ContinuousClock.now - started < .seconds(2), "skipped, not waited for")
        try await holder.value
        #expect(try await store.claim([held], for: "r2") == [held])
    }
}
