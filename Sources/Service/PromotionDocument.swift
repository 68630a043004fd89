public import Foundation
public import Promotion

/// A promotion as every interface shows it: `GET /v1/promotions/{id}`, `promote release --json`,
/// `promote rollback --json` and each entry of `promote history --json` (schema `Promotion` of the OpenAPI document).
public struct PromotionDocument: Encodable, Sendable, Hashable {
    /// One step (schema `Step`).
    public struct Step: Encodable, Sendable, Hashable {
        public struct PullRequest: Encodable, Sendable, Hashable {
            public var number: Int
            public var url: String
        }

        public var environment: String
        public var action: String
        public var at: String
        public var commit: String?
        public var pullRequest: PullRequest?
        public var detail: String?

        public init(_ step: PromotionStep) {
            environment = step.environment
            action = step.action.rawValue
            at = PromotionDocument.timestamp(step.at)
            commit = step.commit
            pullRequest = step.pullRequestNumber.map { PullRequest(number: $0, url: step.pullRequestURL ?? "") }
            detail = step.detail
        }
    }

    public var id: String
    public var model: String
    public var version: String
    public var uri: String
    public var state: String
    public var origin: String
    public var createdAt: String
    public var updatedAt: String
    public var detail: String?
    public var metrics: [String: Double]?
    public var environments: [String]?
    public var steps: [Step]

    public init(_ record: PromotionRecord) {
        id = record.id
        model = record.request.model
        version = record.request.version
        uri = record.request.uri
        state = record.state.rawValue
        origin = record.origin
        createdAt = Self.timestamp(record.createdAt)
        updatedAt = Self.timestamp(record.updatedAt)
        detail = record.detail
        metrics = record.request.metrics.isEmpty ? nil : record.request.metrics
        environments = record.request.environments
        steps = record.steps.map(Step.init)
    }

    /// RFC 3339 in UTC with milliseconds.
    public static func timestamp(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }
}

/// The answer to an accepted intake (`202`): where the promotion can be followed (schema `Accepted`).
public struct AcceptedDocument: Encodable, Sendable, Hashable {
    public var id: String
    public var status: String
    public var statusUrl: String

    public init(_ record: PromotionRecord) {
        id = record.id
        status = record.state.rawValue
        statusUrl = Self.url(record.id)
    }

    /// `/v1/promotions/<id>`.
    public static func url(_ id: String) -> String { "/v1/promotions/\(id)" }
}

/// The one JSON encoding of every document the service answers and the CLI prints: keys sorted, slashes plain.
public enum DocumentEncoder {
    public static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do { return try encoder.encode(value) } catch {
            preconditionFailure("a document failed to encode: \(error)")
        }
    }

    /// The document as one line of text.
    public static func line(_ value: some Encodable) -> String { String(decoding: encode(value), as: UTF8.self) }
}

/// The answer of a webhook that was handled without a promotion, and of `/healthz` and `/readyz` (schemas
/// `WebhookResult` and `Health`): `status` (`ok`, `ready`, `ignored`, `recorded`, ...) and why.
public struct StatusDocument: Encodable, Sendable, Hashable {
    public var status: String
    public var detail: String?
    public var reason: String?

    public init(status: String, detail: String? = nil, reason: String? = nil) {
        self.status = status
        self.detail = detail
        self.reason = reason
    }
}
