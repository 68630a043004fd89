import CurlHTTP
import Foundation
import JSON
@testable import MLflowRegistry
import Promotion
import Testing
import TestSupport

/// Answers requests from recorded MLflow 3.17.2 responses (`Tests/Fixtures/events/mlflow/rest/`) or given ones, and
/// keeps the requests it saw.
final class RecordedMLflow: MLflowTransport, @unchecked Sendable {
    struct Answer {
        var status: Int
        var body: String
        var headers: HTTPHeaders = HTTPHeaders()
    }

    private let lock = NSLock()
    /// "METHOD path?query" → answers, used in order (the last one repeats).
    private var answers: [String: [Answer]] = [:]
    private(set) var requests: [HTTPRequest] = []
    var failure: CurlError?

    static let folder = TestSupport.repositoryRoot + "/Tests/Fixtures/events/mlflow/rest"

    /// Loads a recorded exchange: its request line becomes the key, its response the answer.
    func load(_ file: String) throws {
        let doc = try #require(JSONValue.parse(try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/" + file))))
        let request = try #require(doc["request"])
        var key = "\(request["method"]?.string ?? "GET") \(request["url_path"]?.string ?? "")"
        if case .object(let params)? = request["params"], !params.isEmpty {
            key += "?" + params.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.string ?? "")" }.joined(separator: "&")
        }
        let body = try #require(doc["response"]?["body"])
        answer(key, status: doc["response"]?["status"]?.int ?? 200, body: String(decoding: body.encoded(), as: UTF8.self))
    }

    func answer(_ key: String, status: Int, body: String, headers: HTTPHeaders = HTTPHeaders()) {
        lock.withLock { answers[key, default: []].append(Answer(status: status, body: body, headers: headers)) }
    }

    func perform(_ request: HTTPRequest) async throws(CurlError) -> HTTPResponse {
        let result: Result<HTTPResponse, CurlError> = lock.withLock {
            requests.append(request)
            if let failure { return .failure(failure) }
            let key = Self.key(request)
            guard var list = answers[key], !list.isEmpty else {
                return .success(HTTPResponse(status: 404, headers: HTTPHeaders(), body: Data(#"{"error_code": "ENDPOINT_NOT_FOUND", "message": "no recording for \#(key)"}"#.utf8)))
            }
            let next = list.count > 1 ? list.removeFirst() : list[0]
            answers[key] = list
            return .success(HTTPResponse(status: next.status, headers: next.headers, body: Data(next.body.utf8)))
        }
        return try result.get()
    }

    /// "METHOD path?sorted query" with the query percent-decoded.
    static func key(_ request: HTTPRequest) -> String {
        let url = URLComponents(string: request.url)!
        var key = "\(request.method) \(url.path)"
        let items = (url.queryItems ?? []).sorted { $0.name < $1.name }
        if !items.isEmpty { key += "?" + items.map { "\($0.name)=\($0.value ?? "")" }.joined(separator: "&") }
        return key
    }
}

@Suite struct MLflowClientTests {
    static let runID = "b857819fe93c4614bdb931220f73b67c"
    static let base = "http://127.0.0.1:5000"
    static let fast = MLflowRetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2))

    func client(_ transport: RecordedMLflow, token: String? = nil, destination: String? = nil) -> MLflowClient {
        MLflowClient(baseURL: Self.base, token: token, artifactsDestination: destination, transport: transport, retry: Self.fast)
    }

    func recorded() throws -> RecordedMLflow {
        let t = RecordedMLflow()
        for file in ["05-model-versions-get-v1.json", "07-runs-get-v1-run.json", "08-model-versions-get-v3.json",
                     "10-registered-models-alias-get-champion.json", "12-model-versions-get-v4-logged-model.json",
                     "13-logged-models-get-v4.json"] {
            try t.load(file)
        }
        return t
    }

    @Test func runsSourceFromTheRecordings() async throws {
        let t = try recorded()
        let v = try await client(t, destination: "gs://ml-artifacts/").resolve(model: "jukebox", version: "1")
        #expect(v.uri == "gs://ml-artifacts/1/\(Self.runID)/artifacts/model")
        #expect(v.metrics == ["accuracy": 0.91, "f1": 0.88])
        #expect(v.runID == Self.runID)
        #expect(v.runURL == "\(Self.base)/#/experiments/1/runs/\(Self.runID)")
        #expect(t.requests.map(RecordedMLflow.key) == [
            "GET /api/2.0/mlflow/model-versions/get?name=jukebox&version=1", "GET /api/2.0/mlflow/runs/get?run_id=\(Self.runID)"])
        #expect(t.requests.allSatisfy { $0.headers["Authorization"] == nil })
    }

    @Test func mlflowArtifactsSourceKeptWithoutADestination() async throws {
        let t = try recorded()
        let v = try await client(t).resolve(model: "jukebox", version: "3")
        #expect(v.uri == "mlflow-artifacts:/1/\(Self.runID)/artifacts/model")
        #expect(v.metrics == ["accuracy": 0.91, "f1": 0.88])  // from the version's run
    }

    @Test func loggedModelFromTheRecordings() async throws {
        let t = try recorded()
        let v = try await client(t, destination: "s3://bucket").resolve(model: "jukebox", version: "4")
        #expect(v.uri == "s3://bucket/1/models/m-14d17114b7ba4b88900ede7a0890c511/artifacts")
        #expect(v.runID == "00ab97a9b4764955b93d98ffa8304a9d")
        #expect(t.requests.map(RecordedMLflow.key).contains("GET /api/2.0/mlflow/logged-models/m-14d17114b7ba4b88900ede7a0890c511"))
    }

    @Test func aliasFromTheRecordings() async throws {
        let t = try recorded()
        #expect(try await client(t).version(model: "jukebox", alias: "champion") == "2")
        // MLflow 3.17.2's answer for an alias that is not set.
        t.answer("GET /api/2.0/mlflow/registered-models/alias?alias=staging&name=jukebox", status: 400,
                 body: #"{"error_code": "INVALID_PARAMETER_VALUE", "message": "Registered model alias staging not found."}"#)
        #expect(try await client(t).version(model: "jukebox", alias: "staging") == nil)
        t.answer("GET /api/2.0/mlflow/registered-models/alias?alias=x&name=gone", status: 404,
                 body: #"{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "Registered Model with name=gone not found"}"#)
        #expect(try await client(t).version(model: "gone", alias: "x") == nil)
    }

    @Test func statusesOtherThanReady() async throws {
        let t = RecordedMLflow()
        t.answer("GET /api/2.0/mlflow/model-versions/get?name=m&version=1", status: 200,
                 body: #"{"model_version": {"name": "m", "version": "1", "source": "gs://b/m", "status": "PENDING_REGISTRATION"}}"#)
        t.answer("GET /api/2.0/mlflow/model-versions/get?name=m&version=2", status: 200,
                 body: #"{"model_version": {"name": "m", "version": "2", "source": "gs://b/m", "status": "FAILED_REGISTRATION", "status_message": "copy failed"}}"#)
        await expectRegistryError(.notReady, containing: ["PENDING_REGISTRATION"]) { _ = try await client(t).resolve(model: "m", version: "1") }
        await expectRegistryError(.notFound, containing: ["FAILED_REGISTRATION", "copy failed"]) {
            _ = try await client(t).resolve(model: "m", version: "2")
        }
    }

    @Test func modelsReferencesAreBounded() async throws {
        let t = RecordedMLflow()
        // m/1 → models:/m/1: a loop.
        t.answer("GET /api/2.0/mlflow/model-versions/get?name=m&version=1", status: 200,
                 body: #"{"model_version": {"name": "m", "version": "1", "source": "models:/m/1", "status": "READY"}}"#)
        await expectRegistryError(.invalidResponse, containing: ["models:/"]) { _ = try await client(t).resolve(model: "m", version: "1") }
        #expect(t.requests.count == MLflowClient.maxSourceDepth + 1)
    }

    @Test func tokenIsSentAndNeverShown() async throws {
        let t = RecordedMLflow()
        t.answer("GET /api/2.0/mlflow/model-versions/get?name=m&version=1", status: 401,
                 body: #"{"error_code": "UNAUTHENTICATED", "message": "bad token secret-token-1234"}"#)
        await expectRegistryError(.unauthorized, containing: ["UNAUTHENTICATED", "model-versions/get"]) {
            _ = try await client(t, token: "secret-token-1234").resolve(model: "m", version: "1")
        }
        #expect(t.requests.first?.headers["Authorization"] == "Bearer secret-token-1234")
        t.answer("POST /api/2.0/mlflow/registered-models/alias", status: 403, body: #"{"error_code": "PERMISSION_DENIED", "message": "no"}"#)
        await expectRegistryError(.unauthorized, containing: ["PERMISSION_DENIED"]) {
            try await client(t, token: "secret-token-1234").setAlias("a", model: "m", version: "1")
        }
    }

    @Test func serverErrorsAreRetriedThenUnavailable() async throws {
        let t = RecordedMLflow()
        let key = "GET /api/2.0/mlflow/registered-models/alias?alias=a&name=m"
        t.answer(key, status: 503, body: "busy")
        t.answer(key, status: 429, body: "slow down", headers: ["Retry-After": "0"])
        t.answer(key, status: 200, body: #"{"model_version": {"version": "3"}}"#)
        #expect(try await client(t).version(model: "m", alias: "a") == "3")
        #expect(t.requests.count == 3)

        let down = RecordedMLflow()
        down.answer(key, status: 500, body: #"{"error_code": "INTERNAL_ERROR", "message": "database is locked"}"#)
        await expectRegistryError(.unavailable, containing: ["INTERNAL_ERROR", "database is locked", "3 attempts"]) {
            _ = try await client(down).version(model: "m", alias: "a")
        }
        #expect(down.requests.count == 3)

        let waits = RecordedMLflow()
        waits.answer(key, status: 503, body: "", headers: ["Retry-After": "3600"])
        await expectRegistryError(.unavailable) { _ = try await client(waits).version(model: "m", alias: "a") }
        #expect(waits.requests.count == 1)
    }

    @Test func transportFailures() async throws {
        let t = RecordedMLflow()
        t.failure = CurlError(kind: .timeout, code: 28, message: "Operation timed out", request: "GET x")
        await expectRegistryError(.unavailable, containing: ["timeout", "3 attempts"]) { _ = try await client(t).resolve(model: "m", version: "1") }
        #expect(t.requests.count == 3)
    }

    @Test func unparsableAnswers() async throws {
        let t = RecordedMLflow()
        t.answer("GET /api/2.0/mlflow/model-versions/get?name=m&version=1", status: 200, body: "<html>proxy</html>")
        await expectRegistryError(.invalidResponse, containing: ["model-versions/get", "not a JSON object"]) {
            _ = try await client(t).resolve(model: "m", version: "1")
        }
        t.answer("GET /api/2.0/mlflow/model-versions/get?name=m&version=2", status: 200, body: #"{"model_version": {"status": "READY"}}"#)
        await expectRegistryError(.invalidResponse, containing: ["the field 'source' is missing"]) {
            _ = try await client(t).resolve(model: "m", version: "2")
        }
        t.answer("GET /api/2.0/mlflow/model-versions/get?name=m&version=3", status: 400,
                 body: #"{"error_code": "INVALID_PARAMETER_VALUE", "message": "bad version"}"#)
        await expectRegistryError(.invalidResponse, containing: ["INVALID_PARAMETER_VALUE: bad version"]) {
            _ = try await client(t).resolve(model: "m", version: "3")
        }
    }

    @Test func tagsAreOneCallEach() async throws {
        let t = RecordedMLflow()
        t.answer("POST /api/2.0/mlflow/model-versions/set-tag", status: 200, body: "{}")
        try await client(t).setTags(["b": "2", "a": "1"], model: "m", version: "4")
        #expect(t.requests.count == 2)
        let bodies = t.requests.compactMap { $0.body.flatMap(JSONValue.parse) }
        #expect(bodies == [["name": "m", "version": "4", "key": "a", "value": "1"], ["name": "m", "version": "4", "key": "b", "value": "2"]])
        #expect(t.requests.allSatisfy { $0.headers["Content-Type"] == "application/json" })
    }

    @Test func namesAreEscapedInQueries() async throws {
        let t = RecordedMLflow()
        _ = try? await client(t).version(model: "a b/c&d", alias: "x")
        #expect(t.requests.first?.url == "\(Self.base)/api/2.0/mlflow/registered-models/alias?name=a%20b%2Fc%26d&alias=x")
    }

    @Test func settingsInit() {
        let settings = ServiceSettings.MLflow(url: "https://mlflow.example/", tokenEnv: "MLFLOW_TOKEN", artifactsDestination: "gs://b/")
        let client = MLflowClient(settings: settings, environment: ["MLFLOW_TOKEN": "t"])
        #expect(client.baseURL == "https://mlflow.example")
        #expect(client.artifactsDestination == "gs://b")
        let withUser = MLflowClient(baseURL: "https://bot:pw@mlflow.example/prefix/")
        #expect(withUser.shownBase == "https://mlflow.example/prefix")
    }

    @Test func rewrites() {
        let c = client(RecordedMLflow(), destination: "gs://bucket/root/")
        #expect(c.rewrite("mlflow-artifacts:/1/r/artifacts/model") == "gs://bucket/root/1/r/artifacts/model")
        #expect(c.rewrite("mlflow-artifacts://mlflow.internal:5000/1/r/artifacts") == "gs://bucket/root/1/r/artifacts")
        #expect(c.rewrite("s3://other/x") == "s3://other/x")
        #expect(client(RecordedMLflow()).rewrite("mlflow-artifacts:/1/x") == "mlflow-artifacts:/1/x")
    }

    @Test func latestMetricPerKey() throws {
        let list: JSONValue = [
            ["key": "acc", "value": .number(0.5), "timestamp": 1, "step": 0], ["key": "acc", "value": .number(0.7), "timestamp": 1, "step": 2],
            ["key": "acc", "value": .number(0.6), "timestamp": 9, "step": 1], ["key": "loss", "value": 1, "timestamp": 1, "step": 0],
            ["key": "loss", "value": .number(0.25), "timestamp": 2, "step": 0],
        ]
        let metrics = try MLflowClient.decode([MLflowMetricPayload].self, from: list, call: "test")
        #expect(MLflowMetricPayload.latest(metrics) == ["acc": 0.7, "loss": 0.25])
    }

    /// A run whose answer lacks `info.artifact_uri` fails naming the field (no empty default).
    @Test func aMissingFieldIsAnInvalidResponseNamingIt() throws {
        let run: JSONValue = ["info": ["experiment_id": "1"], "data": ["metrics": []]]
        let error = try #require(throws: RegistryError.self) { try MLflowClient.decode(MLflowRunPayload.self, from: run, call: "GET runs/get") }
        #expect(error.kind == .invalidResponse && error.message.contains("'info.artifact_uri' is missing"), "\(error.message)")
        let metric: JSONValue = [["key": "acc", "value": "high"]]
        #expect(throws: RegistryError.self) { try MLflowClient.decode([MLflowMetricPayload].self, from: metric, call: "GET runs/get") }
    }
}
