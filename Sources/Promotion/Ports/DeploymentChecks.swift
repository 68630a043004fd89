public import Foundation

/// What the engine asks of the sources of an environment's `verify` checks (Argo CD, Prometheus): raw observations,
/// judged by the core. Implemented by the `DeploymentChecks` adapter. A check that cannot run throws
/// ``CheckUnavailable``: it is never a pass.
public protocol DeploymentChecks: Sendable {
    /// The Argo CD application `name` as Argo CD reports it now (`GET /api/v1/applications/{name}`).
    func argoCDApplication(_ settings: VerifySettings.ArgoCD, name: String) async throws -> ArgoCDApplicationState
    /// The result of the instant PromQL query `query` now (`/api/v1/query`): one sample per series; empty when the
    /// result is empty (the core fails an empty result). A PromQL error throws ``CheckUnavailable`` with
    /// Prometheus's own message.
    func prometheusQuery(_ settings: VerifySettings.Prometheus, query: String) async throws -> [PrometheusSample]
}

/// An Argo CD application's sync and health, as its `status` reports them.
public struct ArgoCDApplicationState: Sendable, Hashable, Codable {
    /// `status.sync.status`: `Synced`, `OutOfSync` or `Unknown`.
    public var syncStatus: String
    /// `status.sync.revision`: the commit it is synced to, if any.
    public var revision: String?
    /// `status.health.status`: `Healthy`, `Progressing`, `Degraded`, `Suspended`, `Missing` or `Unknown`.
    public var healthStatus: String
    /// `status.health.message` or the operation's message, if any.
    public var message: String?
    /// `status.sync.revisions`: the commit of each source of a multi-source application, in source order (else empty).
    public var revisions: [String]
    /// `status.operationState.phase` of the last or running sync: `Running`, `Terminating`, `Failed`, `Error` or
    /// `Succeeded`; nil when no operation has run.
    public var operationPhase: String?

    public init(
        syncStatus: String, revision: String?, healthStatus: String, message: String? = nil, revisions: [String] = [],
        operationPhase: String? = nil
    ) {
        self.syncStatus = syncStatus
        self.revision = revision
        self.healthStatus = healthStatus
        self.message = message
        self.revisions = revisions
        self.operationPhase = operationPhase
    }
}

extension ArgoCDApplicationState {
    /// Decodes what an earlier Promote encoded too: `revisions` may be absent (then empty).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            syncStatus: try c.decode(String.self, forKey: .syncStatus), revision: try c.decodeIfPresent(String.self, forKey: .revision),
            healthStatus: try c.decode(String.self, forKey: .healthStatus), message: try c.decodeIfPresent(String.self, forKey: .message),
            revisions: try c.decodeIfPresent([String].self, forKey: .revisions) ?? [],
            operationPhase: try c.decodeIfPresent(String.self, forKey: .operationPhase))
    }
}

/// One series of an instant query's result: its labels and value (NaN and ±Inf as Prometheus sends them).
public struct PrometheusSample: Sendable, Hashable, Codable {
    public var labels: [String: String]
    public var value: Double

    public init(labels: [String: String], value: Double) {
        self.labels = labels
        self.value = value
    }
}

/// A check that could not run: its source is unreachable or answers 5xx, refuses the token, does not know the
/// application, or refuses the query. The version waits; the reason is shown. Never holds a token.
public struct CheckUnavailable: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why, in the terms the engine acts on.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Connection refused, timeout, 5xx, 429: may go away by itself.
        case unreachable
        /// 401/403: the token is wrong or lacks rights.
        case unauthorized
        /// The application (Argo CD) does not exist.
        case notFound
        /// The query is refused (PromQL error) or the request is otherwise invalid.
        case invalid
        /// The answer is not what the API describes.
        case unexpectedResponse
    }

    public var kind: Kind
    /// The source and what was asked, e.g. `Argo CD GET /api/v1/applications/jukebox-staging`.
    public var request: String
    /// The source's own message, or the transport's.
    public var message: String

    public init(kind: Kind, request: String, message: String) {
        self.kind = kind
        self.request = request
        self.message = message
    }

    public var description: String { "\(request) failed: \(message)" }
}

extension CheckUnavailable: TransientFailure {
    public var isTransient: Bool { kind == .unreachable }
}
