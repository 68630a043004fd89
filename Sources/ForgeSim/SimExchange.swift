internal import JSON
internal import Foundation

/// One HTTP request as the stand-in sees it.
struct SimRequest: Sendable {
    var method: String
    /// The path below the API prefix, percent-escapes kept.
    var path: String
    /// Raw query string.
    var rawQuery: String
    var query: [String: String]
    var headers: [(String, String)]
    var body: Data
    /// `http://host:port` as the client addressed it.
    var origin: String

    func header(_ name: String) -> String? {
        let l = name.lowercased()
        return headers.first { $0.0.lowercased() == l }?.1
    }

    var json: SimJSON? { body.isEmpty ? nil : SimJSON.parse(body) }

    /// Path segments, percent-decoded.
    var segments: [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map { String($0).removingPercentEncoding ?? String($0) }
    }
}

/// The stand-in's answer.
struct SimResponse: Sendable {
    var status: Int
    var headers: [(String, String)] = []
    var body: Data = Data()
    /// A fault that produced this answer (recorded, and exempt from description checks).
    var fault: String? = nil

    static func json(_ status: Int, _ value: SimJSON, headers: [(String, String)] = []) -> SimResponse {
        SimResponse(status: status, headers: [("Content-Type", "application/json; charset=utf-8")] + headers, body: value.encoded())
    }

    static func empty(_ status: Int) -> SimResponse { SimResponse(status: status) }
}

/// An answer other than success, thrown by a handler.
struct SimHTTPError: Error {
    var status: Int
    var body: SimJSON
}
