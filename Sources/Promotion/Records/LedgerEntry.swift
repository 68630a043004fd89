public import Foundation

/// What the ledger says one environment should run for one model: the version live there, or proposed to it.
public struct LedgerEntry: Sendable, Hashable, Codable {
    /// Whether the version is in effect or waiting for review.
    public enum Status: String, Sendable, Hashable, Codable {
        /// Committed to the environment's branch (pushed, or its pull request merged).
        case live
        /// Proposed in an open pull request.
        case proposed
        /// The proposal was closed without merge, or replaced.
        case withdrawn
    }

    public var model: String
    public var environment: String
    public var version: String
    public var uri: String
    public var metrics: [String: Double]
    public var status: Status
    /// The commit that made it live (or the head of the proposal).
    public var commit: String?
    public var pullRequestNumber: Int?
    public var pullRequestURL: String?
    public var promotionID: String?
    public var recordedAt: Date

    public init(
        model: String, environment: String, version: String, uri: String, metrics: [String: Double] = [:],
        status: Status, commit: String? = nil, pullRequestNumber: Int? = nil, pullRequestURL: String? = nil,
        promotionID: String? = nil, recordedAt: Date
    ) {
        self.model = model
        self.environment = environment
        self.version = version
        self.uri = uri
        self.metrics = metrics
        self.status = status
        self.commit = commit
        self.pullRequestNumber = pullRequestNumber
        self.pullRequestURL = pullRequestURL
        self.promotionID = promotionID
        self.recordedAt = recordedAt
    }
}
