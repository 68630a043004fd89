internal import Foundation
internal import JSON
internal import Promotion

/// `model-versions/get`'s `model_version`: the fields Promote reads; `source` is required.
struct MLflowModelVersionPayload: Decodable {
    var source: String
    var run_id: String?
    var status: String?
    var status_message: String?
    var aliases: [String]?

    var runID: String? { run_id.flatMap { $0.isEmpty ? nil : $0 } }
}

/// One metric of a run or a logged model: `{key, value, timestamp, step}`.
struct MLflowMetricPayload: Decodable {
    var key: String
    var value: Double
    var timestamp: Double?
    var step: Double?

    /// The latest value of each metric (highest step, then timestamp).
    static func latest(_ list: [MLflowMetricPayload]?) -> [String: Double] {
        var best: [String: (step: Double, time: Double, value: Double)] = [:]
        for m in list ?? [] {
            let (step, time) = (m.step ?? 0, m.timestamp ?? 0)
            if let old = best[m.key], (old.step, old.time) > (step, time) { continue }
            best[m.key] = (step, time, m.value)
        }
        return best.mapValues(\.value)
    }
}

/// `runs/get`'s `run`: its artifact location, experiment and metrics.
struct MLflowRunPayload: Decodable {
    struct Info: Decodable {
        var artifact_uri: String
        var experiment_id: String?
    }

    struct DataSection: Decodable { var metrics: [MLflowMetricPayload]? }

    var info: Info
    var data: DataSection?
}

/// `logged-models/get`'s `model`: its artifact location, experiment, source run and metrics.
struct MLflowLoggedModelPayload: Decodable {
    struct Info: Decodable {
        var artifact_uri: String
        var experiment_id: String?
        var source_run_id: String?
    }

    struct DataSection: Decodable { var metrics: [MLflowMetricPayload]? }

    var info: Info
    var data: DataSection?
}

extension MLflowClient {
    /// `value` as `T`, or ``RegistryError/Kind/invalidResponse`` naming the call and the field that is missing or
    /// mistyped.
    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue?, call: String) throws(RegistryError) -> T {
        guard let value else { throw RegistryError(.invalidResponse, "MLflow \(call): the answer lacks the expected object") }
        do { return try value.decode(T.self) } catch { throw RegistryError(.invalidResponse, "MLflow \(call): \(error)") }
    }
}
