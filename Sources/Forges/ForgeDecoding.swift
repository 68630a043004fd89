internal import Foundation
internal import JSON
internal import Promotion

/// Decodes forge answers into `Decodable` wire types: a missing or mistyped required field is a
/// ``ForgeFailure/Kind/unexpectedResponse`` naming the field, never a default (a pull request numbered 0).
enum ForgeDecoding {
    /// `value` as `T`; `what` names the expected thing in the error ("a GitHub pull request").
    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, what: String) throws(ForgeFailure) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: JSONWriter.write(value))
        } catch let error as DecodingError {
            throw ForgeFailure(kind: .unexpectedResponse, request: what, status: nil, message: "the answer is not \(what): \(describe(error))")
        } catch {
            throw ForgeFailure(kind: .unexpectedResponse, request: what, status: nil, message: "the answer is not \(what): \(error)")
        }
    }

    /// "the field 'head.ref' is missing", "the field 'number' is a string, not Int".
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context, _ last: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (last.map { [$0] } ?? [])
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
            return text.isEmpty ? "the document" : "the field '\(text)'"
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context, key)) is missing"
        case .valueNotFound(let type, let context): return "\(path(context)) is null (expected \(type))"
        case .typeMismatch(let type, let context): return "\(path(context)) is not \(type)"
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
