import Foundation
import Testing
import TestSupport

/// Loads the copied webhook fixtures (Tests/Fixtures/webhooks, see its SOURCES.md).
enum WebhookFixtures {
    static let folder = TestSupport.repositoryRoot + "/Tests/Fixtures/webhooks"

    static func bytes(_ path: String) throws -> [UInt8] {
        Array(try #require(FileManager.default.contents(atPath: folder + "/" + path), "fixture \(path)"))
    }

    /// `vectors.json`: the Standard Webhooks vectors.
    struct Vectors: Decodable, Sendable {
        struct Vector: Decodable, Sendable {
            var name: String
            var secrets: [String]
            var id: String
            var timestamp: Int
            var body: String
            var expected: [String: String]?
            var headers: [String: String]?
            var verifyAt: Int
            var expect: String

            /// The headers to present: `expected` for the positive vectors, `headers` for the negative ones.
            var presented: [String: String] { expected ?? headers ?? [:] }
        }

        var vectors: [Vector]
        var negative: [Vector]
    }

    static let vectors: Vectors = {
        let data = FileManager.default.contents(atPath: folder + "/standard-webhooks/vectors.json") ?? Data()
        return (try? JSONDecoder().decode(Vectors.self, from: data)) ?? Vectors(vectors: [], negative: [])
    }()

    static func vector(_ name: String) throws -> Vectors.Vector {
        try #require((vectors.vectors + vectors.negative).first { $0.name == name })
    }

    /// One MLflow delivery capture (`mlflow/NN-*.json`), the parts the tests read.
    struct MLflowCapture: Decodable, Sendable {
        struct Capture: Decodable, Sendable { var secret: String? }
        struct Request: Decodable, Sendable {
            var headers: [String: String]
            var body: String
        }

        var event: String
        var capture: Capture
        var request: Request
    }

    static let mlflowNames: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/mlflow")) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }()

    static func mlflow(_ name: String) throws -> MLflowCapture {
        try JSONDecoder().decode(MLflowCapture.self, from: Data(try bytes("mlflow/" + name)))
    }
}
