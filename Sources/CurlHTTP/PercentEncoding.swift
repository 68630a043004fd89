/// Percent-encoding of URL components and form fields (RFC 3986): every byte but the unreserved ASCII letters,
/// digits and `-._~` becomes `%XX`, so a value can never add a path segment, a query parameter or a form field.
public enum PercentEncoding {
    /// `value` as one path segment, query component or `application/x-www-form-urlencoded` value.
    public static func component(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 15, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// An `application/x-www-form-urlencoded` body of `fields`, in order.
    public static func form(_ fields: [(String, String)]) -> String {
        fields.map { "\(component($0.0))=\(component($0.1))" }.joined(separator: "&")
    }
}
