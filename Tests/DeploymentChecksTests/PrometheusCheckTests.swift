import CurlHTTP
@testable import DeploymentChecks
import Foundation
import JSON
import Promotion
import Testing
import TestSupport

/// The Prometheus half of ``DeploymentChecksClient``: the form-encoded instant query it sends, and real Prometheus
/// 2.42 answers (Tests/Fixtures/prometheus, recorded from the Debian package) decoded or mapped to a
/// ``CheckUnavailable`` kind.
@Suite struct PrometheusCheckTests {
    let settings = VerifySettings.Prometheus(url: "http://prometheus.example:9090", queries: [])

    /// A source answering with the recorded `name` (its status and body).
    func recorded(_ name: String) throws -> RecordedSource {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestSupport.repositoryRoot + "/Tests/Fixtures/prometheus/\(name).json"))
        let doc = try #require(JSONValue.parse(data))
        let body = try #require(doc["body"])
        return RecordedSource(status: try #require(doc["status"]?.int), body: String(decoding: body.encoded(), as: UTF8.self))
    }

    func failure(_ source: RecordedSource, settings: VerifySettings.Prometheus? = nil) async -> CheckUnavailable? {
        do {
            _ = try await source.client().prometheusQuery(settings ?? self.settings, query: "q")
            return nil
        } catch {
            return error as? CheckUnavailable
        }
    }

    @Test func vectorSamplesWithLabels() async throws {
        let source = try recorded("vector")
        let query = #"sum(rate(x{model="jukebox",code=~"5.."}[5m])) / 2 & more"#
        let samples = try await source.client().prometheusQuery(settings, query: query)
        #expect(samples.count == 2)
        #expect(samples.map(\.value).sorted() == [0.002, 0.05])
        #expect(samples.contains { $0.labels["model"] == "jukebox" && $0.labels["job"] == "exporter" && $0.value == 0.002 })
        let request = try #require(source.requests.first)
        #expect(request.method == "POST")
        #expect(request.url == "http://prometheus.example:9090/api/v1/query")
        #expect(request.headers["Content-Type"] == "application/x-www-form-urlencoded")
        #expect(request.headers["Authorization"] == nil, "no tokenEnv, no token")
        let form = String(decoding: try #require(request.body), as: UTF8.self)
        #expect(form == "query=" + PercentEncoding.component(query) + "&timeout=15s")
        #expect(URLComponents(string: "x:?" + form)?.queryItems?.first?.value == query, "the form decodes back to the query")
    }

    @Test func emptyResultIsNoSamples() async throws {
        #expect(try await recorded("vector-empty").client().prometheusQuery(settings, query: "q").isEmpty)
    }

    @Test func scalarIsOneSampleWithoutLabels() async throws {
        #expect(try await recorded("scalar").client().prometheusQuery(settings, query: "q") == [PrometheusSample(labels: [:], value: 0.002)])
    }

    @Test func nanAndInfinityAreNumbers() async throws {
        let samples = try await recorded("vector-nan-inf").client().prometheusQuery(settings, query: "q")
        let byKind = Dictionary(uniqueKeysWithValues: samples.map { ($0.labels["kind"] ?? "", $0.value) })
        #expect(byKind["inf"] == .infinity)
        #expect(byKind["nan"]?.isNaN == true)
        #expect(PrometheusAnswer.parse("-Inf") == -.infinity)
        #expect(PrometheusAnswer.parse("1e-3") == 0.001)
        #expect(PrometheusAnswer.parse("0x10") == nil)
        #expect(PrometheusAnswer.parse("infinity") == nil)
    }

    @Test func matrixAndStringAreInvalidForAnInstantCheck() async throws {
        let matrix = try #require(await failure(try recorded("matrix")))
        #expect(matrix.kind == .invalid)
        #expect(matrix.message.contains("range vector"))
        #expect(await failure(try recorded("string"))?.kind == .invalid)
    }

    @Test func promQLErrorsAreInvalidWithPrometheusMessage() async throws {
        let syntax = try #require(await failure(try recorded("error-bad-data")))
        #expect(syntax.kind == .invalid)
        #expect(syntax.message.contains("(bad_data)"))
        #expect(syntax.message.contains("parse error: unclosed left parenthesis"))
        #expect(!syntax.isTransient)
        let execution = try #require(await failure(try recorded("error-execution")))
        #expect(execution.kind == .invalid)
        #expect(execution.message.contains("found duplicate series"))
        // An evaluation timeout is Prometheus's 503 with errorType timeout: it may pass by itself.
        let timeout = RecordedSource(status: 503, body: #"{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}"#)
        let slow = try #require(await failure(timeout))
        #expect(slow.kind == .unreachable && slow.message.contains("query timed out"))
    }

    @Test func tokenIsSentAndNeverShown() async throws {
        let withToken = VerifySettings.Prometheus(url: "https://prom.example", queries: [], tokenEnv: "PROM_TOKEN")
        let echo = RecordedSource(status: 401, body: "bad token \(RecordedSource.promToken)\n")
        let error = try #require(await failure(echo, settings: withToken))
        #expect(error.kind == .unauthorized)
        #expect(!error.description.contains(RecordedSource.promToken))
        #expect(echo.requests.first?.headers["Authorization"] == "Bearer \(RecordedSource.promToken)")
        #expect(await failure(RecordedSource(status: 403, body: "forbidden"), settings: withToken)?.kind == .unauthorized)
        let unset = VerifySettings.Prometheus(url: "https://prom.example", queries: [], tokenEnv: "UNSET")
        #expect(await failure(RecordedSource(status: 200, body: "{}"), settings: unset)?.kind == .unauthorized)
    }

    @Test func downOrBrokenServersAreUnreachableOrUnexpected() async throws {
        let down = RecordedSource(failure: CurlError(kind: .connect, code: 7, message: "Failed to connect", request: "POST x"))
        #expect(await failure(down)?.kind == .unreachable)
        let timeout = RecordedSource(failure: CurlError(kind: .timeout, code: 28, message: "Operation timed out", request: "POST x"))
        #expect(await failure(timeout)?.kind == .unreachable)
        #expect(await failure(RecordedSource(status: 502, body: "<html>bad gateway</html>"))?.kind == .unreachable)
        let notPrometheus = try #require(await failure(RecordedSource(status: 404, body: "404 page not found")))
        #expect(notPrometheus.kind == .invalid && notPrometheus.message.contains("base URL"))
        #expect(await failure(RecordedSource(status: 200, body: "<html></html>"))?.kind == .unexpectedResponse)
        #expect(await failure(RecordedSource(status: 200, body: #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,2]}]}}"#))?.kind == .unexpectedResponse)
    }
}
