internal import Foundation
internal import JSON
internal import Promotion

/// The JSON shapes of the service's answers (described in ``OpenAPIDocument``).
enum ServiceJSON {
    /// `202`/`200` after an intake: where the promotion can be followed.
    static func accepted(_ record: PromotionRecord) -> JSONValue {
        .object(["id": .string(record.id), "status": .string(record.state.rawValue), "statusUrl": .string(statusURL(record.id))])
    }

    static func statusURL(_ id: String) -> String { "/v1/promotions/\(id)" }

    /// `GET /v1/promotions/{id}`.
    static func promotion(_ record: PromotionRecord) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(record.id), "model": .string(record.request.model), "version": .string(record.request.version),
            "uri": .string(record.request.uri), "state": .string(record.state.rawValue), "origin": .string(record.origin),
            "createdAt": .string(timestamp(record.createdAt)), "updatedAt": .string(timestamp(record.updatedAt)),
            "steps": .array(record.steps.map(step)),
        ]
        if let detail = record.detail { object["detail"] = .string(detail) }
        if !record.request.metrics.isEmpty { object["metrics"] = .object(record.request.metrics.mapValues { .number($0) }) }
        if let environments = record.request.environments { object["environments"] = .array(environments.map { .string($0) }) }
        return .object(object)
    }

    static func step(_ step: PromotionStep) -> JSONValue {
        var object: [String: JSONValue] = [
            "environment": .string(step.environment), "action": .string(step.action.rawValue), "at": .string(timestamp(step.at)),
        ]
        if let commit = step.commit { object["commit"] = .string(commit) }
        if let number = step.pullRequestNumber { object["pullRequestNumber"] = .number(Double(number)) }
        if let url = step.pullRequestURL { object["pullRequestUrl"] = .string(url) }
        if let detail = step.detail { object["detail"] = .string(detail) }
        return .object(object)
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
