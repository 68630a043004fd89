internal import JSON
internal import Promotion

/// Decodes forge answers into `Decodable` wire types: a missing or mistyped required field is a
/// ``ForgeFailure/Kind/unexpectedResponse`` naming the field, never a default (a pull request numbered 0).
enum ForgeDecoding {
    /// `value` as `T`; `what` names the expected thing in the error ("a GitHub pull request").
    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, what: String) throws(ForgeFailure) -> T {
        do { return try value.decode(T.self) } catch {
            throw ForgeFailure(kind: .unexpectedResponse, request: what, status: nil, message: "the answer is not \(what): \(error)")
        }
    }
}
