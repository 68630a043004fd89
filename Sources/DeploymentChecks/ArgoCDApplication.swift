internal import Promotion

/// The part of Argo CD's `v1alpha1.Application` a verification reads, with the JSON names of
/// `pkg/apis/application/v1alpha1/types.go` (and `assets/swagger.json`). Every field is optional there (`omitempty`),
/// so a missing one is read as Argo CD means it: an application without a sync or health status is `Unknown`.
struct ArgoCDApplication: Decodable {
    struct Metadata: Decodable {
        var name: String?
    }

    /// `ApplicationStatus`.
    struct Status: Decodable {
        var sync: SyncStatus?
        var health: HealthStatus?
        var operationState: OperationState?
    }

    /// `SyncStatus`: `status` is `Synced`, `OutOfSync` or `Unknown`; `revision` the commit it compared with
    /// (single source), `revisions` one per source (multi-source).
    struct SyncStatus: Decodable {
        var status: String?
        var revision: String?
        var revisions: [String]?
    }

    /// `AppHealthStatus`: `Healthy`, `Progressing`, `Degraded`, `Suspended`, `Missing` or `Unknown`.
    struct HealthStatus: Decodable {
        var status: String?
        var message: String?
    }

    /// `OperationState`: the last or running operation (a sync).
    struct OperationState: Decodable {
        var phase: String?
        var message: String?
    }

    var metadata: Metadata?
    var status: Status?

    /// What the port reports: sync and health as Argo CD states them (`Unknown` when absent), the revision(s), and
    /// the health and operation messages joined (`health: ...; operation Running: ...`).
    var state: ArgoCDApplicationState {
        let sync = status?.sync
        let health = status?.health
        let operation = status?.operationState
        var messages: [String] = []
        if let m = health?.message, !m.isEmpty { messages.append("health: \(m)") }
        if let m = operation?.message, !m.isEmpty { messages.append("operation \(operation?.phase ?? ""): \(m)") }
        return ArgoCDApplicationState(
            syncStatus: Self.nonEmpty(sync?.status) ?? "Unknown", revision: Self.nonEmpty(sync?.revision),
            healthStatus: Self.nonEmpty(health?.status) ?? "Unknown",
            message: messages.isEmpty ? nil : messages.joined(separator: "; "),
            revisions: sync?.revisions ?? [], operationPhase: Self.nonEmpty(operation?.phase))
    }

    private static func nonEmpty(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }
}
