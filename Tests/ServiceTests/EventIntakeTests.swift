import Foundation
import Testing
import TestSupport
import Promotion
@testable import Service

/// The CloudEvents/CDEvents samples of the intake contract and the package URL spellings producers use.
@Suite struct EventIntakeTests {
    static let folder = TestSupport.repositoryRoot + "/Tests/Fixtures/events/cloudevents"

    struct Sample: Decodable {
        struct Request: Decodable {
            var headers: [String: String]
            var body: String
        }
        struct Expect: Decodable {
            var status: Int
            var field: String?
            var model: String?
            var version: String?
            var uri: String?
            var metrics: [String: Double]?
            var idempotencyKey: String?
        }
        var request: Request
        var expect: Expect?
    }

    static func load(_ path: String) throws -> Sample {
        try JSONDecoder().decode(Sample.self, from: try #require(FileManager.default.contents(atPath: folder + "/" + path)))
    }

    func decode(_ sample: Sample) throws(IntakeRejection) -> ReleaseRequest {
        let headers = Dictionary(sample.request.headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        return try EventIntake.decode(headers: headers, body: Array(sample.request.body.utf8), config: NativeEventTests.config)
    }

    @Test(arguments: ["artifact-published-binary.json", "artifact-published-structured.json", "artifact-published-binary-cdevents-0.4.1.json"])
    func acceptedSamples(_ name: String) throws {
        let sample = try Self.load("samples/" + name)
        let expect = try #require(sample.expect)
        let request = try decode(sample)
        #expect(request.model == expect.model && request.version == expect.version && request.uri == expect.uri)
        #expect(request.metrics == (expect.metrics ?? [:]))
        if let key = expect.idempotencyKey { #expect(request.idempotencyKey == key) } else { #expect(request.idempotencyKey.hasPrefix("ce:")) }
    }

    @Test(arguments: try! FileManager.default.contentsOfDirectory(atPath: folder + "/bad").sorted())
    func refusedSamples(_ name: String) throws {
        let sample = try Self.load("bad/" + name)
        let expect = try #require(sample.expect)
        do {
            _ = try decode(sample)
            Issue.record("\(name) was accepted")
        } catch {
            #expect(error.status == expect.status, "\(name): \(error)")
            if let field = expect.field { #expect(error.problems.contains { $0.field == field }, "\(name): \(error)") }
        }
    }

    @Test func dispatchByContentType() {
        let body = Array(#"{"model":"jukebox","version":"1","uri":"gs://models/jukebox/1"}"#.utf8)
        #expect(throws: IntakeRejection.self) { try EventIntake.decode(headers: ["content-type": "text/plain"], body: body, config: nil) }
        do {
            _ = try EventIntake.decode(headers: ["content-type": "application/cloudevents-batch+json"], body: body, config: nil)
        } catch { #expect(error.status == 415) }
        do {
            _ = try EventIntake.decode(headers: ["content-type": "application/json"], body: Array(repeating: 0x20, count: EventIntake.maxBodyBytes + 1), config: nil)
        } catch { #expect(error.status == 413) }
        #expect((try? EventIntake.decode(headers: ["content-type": "application/json; charset=utf-8"], body: body, config: nil))?.model == "jukebox")
    }

    @Test func nativeEventInsideACloudEvent() throws {
        let body = Array(#"{"specversion":"1.0","id":"42","source":"/ci","type":"dev.promote.release.v1","data":{"model":"jukebox","version":"2","uri":"gs://models/jukebox/2"}}"#.utf8)
        let request = try EventIntake.decode(headers: ["content-type": "application/cloudevents+json"], body: body, config: nil)
        #expect(request.version == "2" && request.idempotencyKey == "ce:/ci#42")
    }

    struct Variant: Decodable {
        struct Parsed: Decodable {
            var type: String
            var namespace: String?
            var name: String
            var version: String?
            var qualifiers: [String: String]
        }
        var subjectId: String
        var accepted: Bool
        var parsed: Parsed?
    }

    @Test func packageURLVariantsParseLikePackageurlPython() throws {
        struct File: Decodable { var variants: [Variant] }
        let file = try JSONDecoder().decode(File.self, from: try #require(FileManager.default.contents(atPath: Self.folder + "/purl-variants.json")))
        #expect(file.variants.count >= 5)
        for variant in file.variants {
            guard let expected = variant.parsed else { continue }
            let purl = try #require(PackageURL(variant.subjectId), "\(variant.subjectId)")
            #expect(purl.type == expected.type && purl.name == expected.name && purl.version == expected.version, "\(variant.subjectId)")
            #expect(purl.namespace == expected.namespace && purl.qualifiers == expected.qualifiers, "\(variant.subjectId)")
            #expect((purl.version != nil && purl.qualifiers["download_url"] != nil && purl.type == "generic") == variant.accepted, "\(variant.subjectId)")
        }
        #expect(PackageURL("not a purl") == nil)
        #expect(PackageURL("pkg:generic/x@1?download_url=%zz") == nil)
    }
}
