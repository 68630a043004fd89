internal import Foundation
internal import JSON
internal import Promotion

/// The JSON shapes of the service's answers (described in ``OpenAPIDocument``).
enum ServiceJSON {
    /// One ledger entry of `GET /v1/status`.
    static func ledger(_ entry: LedgerEntry) -> JSONValue {
        var object: [String: JSONValue] = [
            "model": .string(entry.model), "environment": .string(entry.environment), "version": .string(entry.version),
            "uri": .string(entry.uri), "status": .string(entry.status.rawValue), "recordedAt": .string(timestamp(entry.recordedAt)),
        ]
        if let commit = entry.commit { object["commit"] = .string(commit) }
        if let url = entry.pullRequestURL { object["pullRequestUrl"] = .string(url) }
        if let id = entry.promotionID { object["promotionId"] = .string(id) }
        return .object(object)
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
