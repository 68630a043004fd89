internal import Foundation
internal import JSON

/// The stand-in's JSON: templates, request bodies and answers.
typealias SimJSON = JSONValue

extension JSONValue {
    /// Parses one of ``SimTemplates``.
    static func template(_ text: String) -> JSONValue { parse(Data(text.utf8)) ?? .null }

    static func str(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
    static func int(_ i: Int) -> JSONValue { .number(Double(i)) }
}
