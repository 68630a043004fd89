import Foundation
import Testing
import TestSupport
@testable import Service

/// Fuzz targets for the service's intake parsers: the native event, CloudEvents and MLflow deliveries. Seeded
/// mutations of the real fixtures, a few seconds each: nothing may crash or hang, and cost must grow linearly with
/// input size (N against 4N).
@Suite struct IntakeFuzzTests {
    static let events = TestSupport.repositoryRoot + "/Tests/Fixtures/events"

    static func files(_ folder: String, suffix: String = ".json") -> [[UInt8]] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder))?.filter { $0.hasSuffix(suffix) }.sorted() ?? []
        return names.compactMap { FileManager.default.contents(atPath: folder + "/" + $0).map(Array.init) }
    }

    /// A bound well above linear (4) and well below quadratic (16), with room for a busy machine.
    static let linear = 10.0

    @Test func nativeAndCloudEventIntakeSurvivesMutations() throws {
        let native = Self.files(Self.events + "/native").filter { $0.count < 100_000 }
        let cloud = Self.files(Self.events + "/cloudevents/samples").compactMap { sample -> [UInt8]? in
            (try? JSONSerialization.jsonObject(with: Data(sample)) as? [String: Any])
                .flatMap { ($0["request"] as? [String: Any])?["body"] as? String }.map { Array($0.utf8) }
        }
        #expect(native.count >= 5 && !cloud.isEmpty)
        var fuzzer = Fuzzer(seed: 14)
        let json = ["content-type": "application/json"]
        let structured = ["content-type": "application/cloudevents+json"]
        let ran = fuzzer.run(seeds: native + cloud, count: 4_000) { body in
            _ = try? EventIntake.decode(headers: json, body: body, config: NativeEventTests.config)
            _ = try? EventIntake.decode(headers: structured, body: body, config: NativeEventTests.config)
        }
        #expect(ran >= 100)
        let nested = Fuzzer.growth(n: 1_000, { n in Array(("{\"model\":" + Fuzzer.nestedJSON(items: n) + "}").utf8) }) {
            _ = try? EventIntake.decode(headers: json, body: $0, config: NativeEventTests.config)
        }
        let wide = Fuzzer.growth(n: 1_500, { n in Array(("{\"model\":\"j\",\"metrics\":{" + (0..<n).map { "\"m\($0)\":1" }.joined(separator: ",") + "}}").utf8) }) {
            _ = try? EventIntake.decode(headers: json, body: $0, config: NativeEventTests.config)
        }
        #expect(nested < Self.linear && wide < Self.linear, "growth nested \(nested), wide \(wide)")
    }

    @Test func mlflowIntakeSurvivesMutations() throws {
        let deliveries = Self.files(Self.events + "/mlflow").compactMap { sample -> [UInt8]? in
            (try? JSONSerialization.jsonObject(with: Data(sample)) as? [String: Any]).flatMap { $0["body"] as? String }.map { Array($0.utf8) }
        }
        let seeds = deliveries.isEmpty ? Self.files(Self.events + "/mlflow") : deliveries
        var fuzzer = Fuzzer(seed: 1_414)
        let ran = fuzzer.run(seeds: seeds, count: 4_000) { body in _ = try? MLflowDelivery.decode(body) }
        #expect(ran >= 100)
        let growth = Fuzzer.growth(n: 1_000, { n in Array(("{\"entity\":" + Fuzzer.nestedJSON(items: n) + "}").utf8) }) {
            _ = try? MLflowDelivery.decode($0)
        }
        #expect(growth < Self.linear, "growth \(growth)")
    }
}
