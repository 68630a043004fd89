internal import Foundation
internal import JSON
internal import Promotion

/// An answer of Prometheus's HTTP API (`/api/v1/query`): `{"status": "success", "data": {"resultType", "result"}}`
/// or `{"status": "error", "errorType", "error"}` (docs/querying/api.md, "Format overview" and "Instant queries").
enum PrometheusAnswer {
    /// Why an answer is not a list of samples.
    enum Refusal: Error, Equatable {
        /// Prometheus refused the query (`status: error`): its `errorType` and `error`.
        case queryError(type: String, message: String)
        /// A result type a check cannot compare with a number (`matrix`, `string`, native histograms).
        case notANumber(String)
        /// Not the shape the API describes.
        case malformed(String)
    }

    /// The samples of an instant query's answer: one per series of a `vector` (empty for an empty vector), one without
    /// labels for a `scalar`. Values are Prometheus's strings read as numbers: `NaN`, `+Inf` and `-Inf` included.
    static func samples(_ doc: JSONValue) throws(Refusal) -> [PrometheusSample] {
        guard case .object = doc else { throw .malformed("the answer is not a JSON object") }
        switch doc["status"]?.string {
        case "success": break
        case "error":
            throw .queryError(type: doc["errorType"]?.string ?? "error", message: doc["error"]?.string ?? "no message")
        default: throw .malformed("the answer's status is neither success nor error")
        }
        guard let data = doc["data"], let type = data["resultType"]?.string, let result = data["result"] else {
            throw .malformed("the answer has no data.resultType and data.result")
        }
        switch type {
        case "vector":
            guard let series = result.array else { throw .malformed("data.result of a vector is not a list") }
            var samples: [PrometheusSample] = []
            for (i, item) in series.enumerated() {
                if item["histogram"] != nil {
                    throw .notANumber("the query returns native histograms; compare a number (e.g. histogram_quantile(...))")
                }
                guard let value = item["value"], let number = try number(value, at: "data.result[\(i)].value") else {
                    throw .malformed("data.result[\(i)] has no value")
                }
                var labels: [String: String] = [:]
                for (name, text) in item["metric"]?.object ?? [:] {
                    guard let text = text.string else { throw .malformed("data.result[\(i)].metric.\(name) is not a string") }
                    labels[name] = text
                }
                samples.append(PrometheusSample(labels: labels, value: number))
            }
            return samples
        case "scalar":
            guard let number = try number(result, at: "data.result") else { throw .malformed("data.result of a scalar is empty") }
            return [PrometheusSample(labels: [:], value: number)]
        case "matrix":
            throw .notANumber("the query returns a range vector (matrix): apply a function such as rate(...[5m]) or drop the [range]")
        case "string":
            throw .notANumber("the query returns a string, not a number")
        default:
            throw .malformed("unknown resultType '\(type)'")
        }
    }

    /// `[<unix time>, "<value>"]` → the value (nil for a missing pair).
    static func number(_ pair: JSONValue, at path: String) throws(Refusal) -> Double? {
        guard let items = pair.array else { throw .malformed("\(path) is not a [time, value] pair") }
        guard items.count == 2 else { return nil }
        guard let text = items[1].string else { throw .malformed("\(path)[1] is not a string") }
        guard let value = parse(text) else { throw .malformed("\(path)[1] '\(text.prefix(40))' is not a number") }
        return value
    }

    /// A sample value as Prometheus writes it (Go's `strconv.FormatFloat(v, 'f', -1, 64)`): a decimal, `NaN`,
    /// `+Inf` or `-Inf`. Hexadecimal and other spellings `Double(_:)` would read are refused.
    static func parse(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default:
            guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }) else { return nil }
            return Double(text)
        }
    }
}
