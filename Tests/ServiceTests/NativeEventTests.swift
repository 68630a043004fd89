import Foundation
import Testing
import TestSupport
import Promotion
@testable import Service

/// Every native sample of the intake contract, judged against its `expected.json` outcome.
@Suite struct NativeEventTests {
    static let folder = TestSupport.repositoryRoot + "/Tests/Fixtures/events/native"
    struct Outcome: Decodable, Sendable {
        var status: Int
        var field: String?
    }

    struct Expected: Decodable, Sendable {
        var good: [String: Outcome]
        var bad: [String: Outcome]
    }

    static let expected: Expected = {
        let data = FileManager.default.contents(atPath: folder + "/expected.json") ?? Data()
        return (try? JSONDecoder().decode(Expected.self, from: data)) ?? Expected(good: [:], bad: [:])
    }()
    static let config: PromoteConfig = try! ConfigDecoder.decode(yaml: .init(name: "promote.yaml", bytes: Array("""
        repository: {url: file:///r.git}
        forge: {type: github, project: a/b, tokenEnv: T}
        environments: [{name: staging}, {name: production, mode: pull-request}]
        models: {jukebox: {allowedUris: ["gs://models/jukebox/"]}}
        """.utf8)))

    static var good: [String] { expected.good.keys.sorted() }
    static var bad: [String] { expected.bad.keys.sorted().filter { $0 != "description-2mb.json" } }

    func body(_ path: String) throws -> [UInt8] {
        Array(try #require(FileManager.default.contents(atPath: Self.folder + "/" + path)))
    }

    @Test(arguments: good)
    func goodSamplesAreAccepted(_ name: String) throws {
        let request = try NativeEvent.decode(try body(name), config: Self.config)
        #expect(!request.model.isEmpty)
    }

    @Test func defaultsAndDuplicateDelivery() throws {
        let minimal = try NativeEvent.decode(try body("01-minimal.json"), config: Self.config)
        #expect(minimal.idempotencyKey == "jukebox@1.4.2 gs://models/jukebox/1.4.2")
        let full = try NativeEvent.decode(try body("02-full.json"), config: Self.config)
        let again = try NativeEvent.decode(try body("08-duplicate-delivery-of-02.json"), config: Self.config)
        #expect(full == again)
        #expect(full.idempotencyKey == "jukebox-1.4.2-run42")
        let compact = try NativeEvent.decode(try body("07-compact-unicode-numbers.json"), config: Self.config)
        #expect(compact.metrics.values.contains(-0.01))
    }

    @Test(arguments: bad)
    func badSamplesAreRefusedNamingTheField(_ name: String) throws {
        let outcome = try #require(Self.expected.bad[name])
        let status = outcome.status, field = outcome.field
        let bytes = try body("bad/" + name)
        do {
            _ = try NativeEvent.decode(bytes, config: Self.config)
            Issue.record("\(name) was accepted")
        } catch .malformed(let message, let duplicated) {
            #expect(status == 400, "\(name): \(message)")
            if let field { #expect(message.contains(field) && duplicated == field) }
        } catch .invalid(let problems) {
            #expect(status == 422, "\(name): \(problems)")
            #expect(problems.contains { $0.field == field }, "\(name): \(problems)")
        }
    }

    @Test func wrongTypesNameAllThreeFields() throws {
        let bytes = try body("bad/wrong-types.json")
        do {
            _ = try NativeEvent.decode(bytes, config: Self.config)
        } catch .invalid(let problems) {
            #expect(Set(problems.map(\.field)).isSuperset(of: ["version", "metrics", "environments"]))
            #expect(problems.first { $0.field == "version" }?.message.contains("in quotes") == true)
        } catch { Issue.record("expected 422") }
    }
}
