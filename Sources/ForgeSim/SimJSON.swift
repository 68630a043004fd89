internal import Foundation

/// Any JSON document: the stand-in's templates, request bodies and answers.
enum SimJSON: Sendable, Hashable, Codable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([SimJSON])
    case object([String: SimJSON])

    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .number(Double(value)) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(arrayLiteral elements: SimJSON...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, SimJSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { $1 }))
    }
    init(nilLiteral: ()) { self = .null }

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([SimJSON].self) { self = .array(a) }
        else { self = .object(try c.decode([String: SimJSON].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let d):
            if d.rounded() == d, abs(d) < 9e15 { try c.encode(Int64(d)) } else { try c.encode(d) }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// Parses `data`; `nil` if it is not JSON.
    static func parse(_ data: Data) -> SimJSON? { SimJSONCodec.parse(data) }

    /// Serialises compactly with sorted keys.
    func encoded() -> Data { SimJSONCodec.write(self) }

    subscript(_ key: String) -> SimJSON? {
        get {
            if case .object(let o) = self { return o[key] }
            return nil
        }
        set {
            if case .object(var o) = self {
                o[key] = newValue
                self = .object(o)
            }
        }
    }

    /// Parses one of ``SimTemplates``.
    static func template(_ text: String) -> SimJSON { parse(Data(text.utf8)) ?? .null }

    static func str(_ s: String?) -> SimJSON { s.map { .string($0) } ?? .null }
    static func int(_ i: Int) -> SimJSON { .number(Double(i)) }

    var string: String? { if case .string(let s) = self { s } else { nil } }
    var int: Int? { if case .number(let d) = self, d.rounded() == d { Int(d) } else { nil } }
    var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    var array: [SimJSON]? { if case .array(let a) = self { a } else { nil } }
    var object: [String: SimJSON]? { if case .object(let o) = self { o } else { nil } }
    var isNull: Bool { self == .null }
}
