public import Foundation

/// Why a JSON value is not the `Decodable` type asked for, naming the field: "the field 'head.ref' is missing".
public struct JSONShapeError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

extension JSONValue {
    /// This value as `T`. A missing, null or mistyped required field is a ``JSONShapeError`` naming its path, never a
    /// default.
    public func decode<T: Decodable>(_ type: T.Type) throws(JSONShapeError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: JSONWriter.write(self))
        } catch let error as DecodingError {
            throw JSONShapeError(description: Self.describe(error))
        } catch {
            throw JSONShapeError(description: "\(error)")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context, _ last: (any CodingKey)? = nil) -> String {
            let keys = (context.codingPath + (last.map { [$0] } ?? [])).map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the value" : "the field '\(keys.joined(separator: ".").replacingOccurrences(of: ".[", with: "["))'"
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
