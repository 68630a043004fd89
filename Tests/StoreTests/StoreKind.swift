import Foundation
import Logging
import Promotion
import Store
import Testing
import TestSupport

/// The two stores the contract tests run against. PostgreSQL is one real server for the test process (started on
/// first use by ``TestPostgres``, stopped when the process ends); each test gets a database of its own.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// A fresh, empty store.
    func open(replica: String? = nil) async throws -> any PromotionStore & LeaseStore {
        try await newPlace().open(replica: replica)
    }

    /// A new, empty place for a store (a file, or a database), that can be opened several times.
    func newPlace() throws -> StorePlace {
        switch self {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("promote-store-\(UUID().uuidString)")
            return StorePlace(kind: self, name: dir.appendingPathComponent("state/promote.db").path, directory: dir.path)
        case .postgres:
            return StorePlace(kind: self, name: try SharedPostgres.server().createDatabase(), directory: nil)
        }
    }
}

/// Where a test's store lives: a SQLite file, or a PostgreSQL database on the shared test server.
struct StorePlace: Sendable {
    let kind: StoreKind
    let name: String
    let directory: String?

    func open(replica: String? = nil) async throws -> any PromotionStore & LeaseStore {
        switch kind {
        case .sqlite:
            return try SQLiteStore(path: name, replica: replica)
        case .postgres:
            let server = try SharedPostgres.server()
            return try await PostgresStore(
                location: try PostgresLocation(url: server.url(database: name)), password: server.password, replica: replica,
                logger: Self.quiet, connectTimeout: .seconds(60))  // the whole suite starts at once on 2 cores
        }
    }

    static let quiet: Logger = {
        var logger = Logger(label: "test.postgres")
        logger.logLevel = .warning
        return logger
    }()

    func remove() {
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }
}

/// The PostgreSQL server of this test process.
enum SharedPostgres {
    private static let started = Result { try TestPostgres() }
    static func server() throws -> TestPostgres { try started.get() }
}
