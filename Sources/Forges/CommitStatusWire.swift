internal import JSON
internal import Promotion

/// How each forge spells commit statuses and check runs: the state names it takes and answers, the description
/// length it keeps, and "the latest per context" over what it lists. Pure; the clients send and parse.
enum CommitStatusWire {
    /// The longest description each forge keeps (GitHub documents 140; the others store 255 and show less).
    static func descriptionLimit(_ kind: ForgeKind) -> Int { kind == .github ? 140 : 255 }

    /// `text` cut to `limit` characters, ending in `…` when cut.
    static func cut(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// The state as the forge takes it: GitHub and Gitea as is; GitLab `running` while pending and `canceled` for an
    /// error (its `failed` means the check ran and said no); Bitbucket `INPROGRESS`/`SUCCESSFUL`/`FAILED`/`STOPPED`.
    static func wireState(_ state: CommitStatus.State, for kind: ForgeKind) -> String {
        switch kind {
        case .github, .gitea, .forgejo: state.rawValue
        case .gitlab:
            switch state {
            case .pending: "running"
            case .success: "success"
            case .failure: "failed"
            case .error: "canceled"
            }
        case .bitbucket:
            switch state {
            case .pending: "INPROGRESS"
            case .success: "SUCCESSFUL"
            case .failure: "FAILED"
            case .error: "STOPPED"
            }
        }
    }

    /// The body that sets `status` on `kind`: its state in the forge's words, the context under the forge's name for it
    /// (`context`, GitLab `name`, Bitbucket `key`), the description cut to the forge's limit, the target URL
    /// (Bitbucket requires one: `fallbackURL` when the status has none).
    static func body(_ status: CommitStatus, for kind: ForgeKind, fallbackURL: String? = nil) -> JSONValue {
        var body: [String: JSONValue] = [
            "state": .string(wireState(status.state, for: kind)),
            "description": .string(cut(status.description, to: descriptionLimit(kind)))]
        let url = status.targetURL ?? fallbackURL
        switch kind {
        case .github, .gitea, .forgejo:
            body["context"] = .string(status.context)
            if let url { body["target_url"] = .string(url) }
        case .gitlab:
            body["name"] = .string(status.context)
            if let url { body["target_url"] = .string(url) }
        case .bitbucket:
            body["type"] = "build"
            body["key"] = .string(status.context)
            body["name"] = .string(status.context)
            if let url { body["url"] = .string(url) }
        }
        return .object(body)
    }

    /// A forge's status state read back. Anything still to run is pending; skipped and neutral count as success (as the
    /// forges' own merge rules count them); an unknown state is an error, never a pass.
    static func state(fromWire wire: String) -> CommitStatus.State {
        switch wire.lowercased() {
        case "success", "successful", "skipped", "neutral": .success
        case "pending", "running", "created", "waiting_for_resource", "preparing", "scheduled", "manual", "inprogress",
             "queued", "in_progress", "waiting", "requested":
            .pending
        case "failure", "failed", "warning", "timed_out", "action_required", "startup_failure", "stale": .failure
        default: .error  // error, canceled, cancelled, stopped, and anything new
        }
    }

    /// A GitHub check run: pending until `completed`, then its `conclusion`.
    static func checkRunState(status: String, conclusion: String?) -> CommitStatus.State {
        status == "completed" ? state(fromWire: conclusion ?? "error") : .pending
    }

    /// The latest entry per context, given entries with an ordering key (the forge's id or update time); the answer
    /// is sorted by context so callers and tests see a stable order.
    static func latestPerContext(_ entries: [(order: Int, status: CommitStatus)]) -> [CommitStatus] {
        var latest: [String: (order: Int, status: CommitStatus)] = [:]
        for e in entries where latest[e.status.context].map({ $0.order <= e.order }) ?? true { latest[e.status.context] = e }
        return latest.values.map(\.status).sorted { $0.context < $1.context }
    }

    /// A GitHub or Gitea/Forgejo commit status (Gitea names the state `status`).
    struct Status: Decodable {
        var id: Int
        var state: String?
        var status: String?
        var context: String
        var description: String?
        var target_url: String?

        var commitStatus: CommitStatus {
            CommitStatus(context: context, state: CommitStatusWire.state(fromWire: state ?? status ?? "error"),
                         description: description ?? "", targetURL: target_url.flatMap { $0.isEmpty ? nil : $0 })
        }
    }

    /// A GitHub check run.
    struct CheckRun: Decodable {
        struct Output: Decodable { var title: String? }
        var id: Int
        var name: String
        var status: String
        var conclusion: String?
        var details_url: String?
        var output: Output?

        var commitStatus: CommitStatus {
            CommitStatus(context: name, state: CommitStatusWire.checkRunState(status: status, conclusion: conclusion),
                         description: output?.title ?? conclusion ?? status, targetURL: details_url)
        }
    }

    /// A GitLab commit status (a pipeline job or an external status).
    struct GitLabStatus: Decodable {
        var id: Int
        var name: String
        var status: String
        var description: String?
        var target_url: String?

        var commitStatus: CommitStatus {
            CommitStatus(context: name, state: CommitStatusWire.state(fromWire: status), description: description ?? "", targetURL: target_url)
        }
    }

    /// A Bitbucket build status.
    struct BitbucketStatus: Decodable {
        var key: String
        var state: String
        var name: String?
        var description: String?
        var url: String?

        var commitStatus: CommitStatus {
            CommitStatus(context: key, state: CommitStatusWire.state(fromWire: state), description: description ?? name ?? "", targetURL: url)
        }
    }

    /// `values` decoded as `T`, numbered in the order the forge listed them.
    static func decode<T: Decodable>(_ values: [JSONValue], as type: T.Type, what: String) throws(ForgeFailure) -> [T] {
        var out: [T] = []
        for v in values { out.append(try ForgeDecoding.decode(T.self, from: v, what: what)) }
        return out
    }
}
