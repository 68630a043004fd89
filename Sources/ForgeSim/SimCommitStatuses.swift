internal import JSON
internal import Foundation

/// Commit statuses and check runs for every flavour: set a status, read the combined status (GitHub, Gitea), the
/// check runs (GitHub), the commit's statuses (GitLab, Bitbucket). Shapes from the official descriptions where they
/// describe them, else from the official clients' models (githubkit, python-gitlab; see test_forge_official_clients.py).
extension SimForge {
    /// The answer when `rest` (the path below the repository or project) is a commit-status request, else nil.
    func commitStatusRoute(_ r: SimRequest, _ p: inout SimProject, _ rest: [String]) throws(SimHTTPError) -> SimResponse? {
        switch (flavour, r.method, rest.count) {
        case (.github, "POST", 2) where rest[0] == "statuses", (.gitea, "POST", 2) where rest[0] == "statuses":
            return try setStatus(r, &p, sha: rest[1], stateKey: "state", contextKey: "context", urlKey: "target_url")
        case (.gitlab, "POST", 2) where rest[0] == "statuses":
            return try setStatus(r, &p, sha: rest[1], stateKey: "state", contextKey: "name", urlKey: "target_url")
        case (.bitbucket, "POST", 4) where rest[0] == "commit" && rest[2] == "statuses" && rest[3] == "build":
            return try setStatus(r, &p, sha: rest[1], stateKey: "state", contextKey: "key", urlKey: "url")
        case (.github, "GET", 3) where rest[0] == "commits" && rest[2] == "status",
             (.gitea, "GET", 3) where rest[0] == "commits" && rest[2] == "status":
            return try combinedStatus(r, p, ref: rest[1])
        case (.github, "GET", 3) where rest[0] == "commits" && rest[2] == "check-runs":
            let sha = try commit(p, rest[1])
            let runs = latest(p, sha, checkRuns: true)
            let (slice, headers) = page(runs, r, perPageKey: "per_page", defaultSize: 30, maxSize: 100)
            return .json(200, ["total_count": .int(runs.count), "check_runs": .array(slice.map { githubCheckRun($0, p, r) })], headers: headers)
        case (.gitlab, "GET", 4) where rest[0] == "repository" && rest[1] == "commits" && rest[3] == "statuses":
            let sha = try commit(p, rest[2])
            let all = r.query["all"] == "true" ? p.statuses.filter { $0.sha == sha && !$0.checkRun }.reversed() : latest(p, sha, checkRuns: false)
            let (slice, headers) = page(Array(all), r, perPageKey: "per_page", defaultSize: 20, maxSize: 100)
            return .json(200, .array(slice.map { gitlabStatus($0, p, r) }), headers: headers)
        case (.bitbucket, "GET", 3) where rest[0] == "commit" && rest[2] == "statuses":
            let sha = try commit(p, rest[1])
            let all = latest(p, sha, checkRuns: false)
            let size = min(100, max(1, Int(r.query["pagelen"] ?? "") ?? config.defaultPageSize ?? 10))
            let pageNo = max(1, Int(r.query["page"] ?? "") ?? 1)
            let start = min(all.count, (pageNo - 1) * size)
            var doc: SimJSON = ["pagelen": .int(size), "page": .int(pageNo), "size": .int(all.count),
                                "values": .array(all[start..<min(all.count, start + size)].map { bitbucketStatus($0, p, r) })]
            if start + size < all.count { doc["next"] = .string("\(r.origin)/2.0\(r.path)?pagelen=\(size)&page=\(pageNo + 1)") }
            return .json(200, doc)
        default:
            return nil
        }
    }

    /// The commit `ref` names (a full SHA, or a branch), or the forge's "no such commit".
    func commit(_ p: SimProject, _ ref: String) throws(SimHTTPError) -> String {
        if let tip = ((try? p.repo.branches()) ?? [:])[ref] { return tip }
        if ref.count == 40, ref.allSatisfy(\.isHexDigit), p.repo.isAncestor(ref, of: ref) { return ref }
        switch flavour {
        case .github: throw SimHTTPError(status: 422, body: ["message": .string("No commit found for SHA: \(ref)"), "documentation_url": "https://docs.github.com/rest/commits/statuses#create-a-commit-status"])
        default: throw notFound("Commit")
        }
    }

    /// Statuses (or check runs) on `sha`, the latest per context, newest first.
    func latest(_ p: SimProject, _ sha: String, checkRuns: Bool) -> [SimCommitStatus] {
        var seen = Set<String>()
        return p.statuses.reversed().filter { $0.sha == sha && $0.checkRun == checkRuns && seen.insert($0.context).inserted }
    }

    /// Records a status, as another CI or Promote sets it; `state` in the flavour's own words.
    func recordStatus(_ p: inout SimProject, sha: String, context: String, state: String, conclusion: String? = nil, description: String,
                      targetURL: String?, checkRun: Bool = false, creator: String) -> SimCommitStatus {
        p.nextStatusID += 1
        let s = SimCommitStatus(id: p.nextStatusID, sha: sha, context: context, state: state, conclusion: conclusion,
                                description: description, targetURL: targetURL, checkRun: checkRun, creator: creator, createdAt: Self.now())
        p.statuses.append(s)
        return s
    }

    private func setStatus(_ r: SimRequest, _ p: inout SimProject, sha ref: String, stateKey: String, contextKey: String,
                           urlKey: String) throws(SimHTTPError) -> SimResponse {
        let sha = try commit(p, ref)
        let b = r.json ?? [:]
        let states: [String] = switch flavour {
        case .github: ["pending", "success", "failure", "error"]
        case .gitea: ["pending", "success", "error", "failure", "warning", "skipped"]
        case .gitlab: ["pending", "running", "success", "failed", "canceled", "skipped"]
        case .bitbucket: ["INPROGRESS", "SUCCESSFUL", "FAILED", "STOPPED"]
        }
        guard let state = b[stateKey]?.string, states.contains(state) else {
            throw invalidStatus("\(stateKey) must be one of \(states.joined(separator: ", "))")
        }
        let context = b[contextKey]?.string ?? b["context"]?.string ?? "default"
        if flavour == .bitbucket, b["key"]?.string == nil || b["url"]?.string == nil { throw invalidStatus("key and url are required") }
        let limit = flavour == .github ? 140 : 255
        let description = b["description"]?.string ?? ""
        if description.count > limit { throw invalidStatus("description is too long (maximum is \(limit) characters)") }
        if flavour == .gitlab, ["pending", "running"].contains(state), let current = latest(p, sha, checkRuns: false).first(where: { $0.context == context }),
           current.state == state {
            // GitLab's state machine: a job already running (pending) cannot be sent "run" ("enqueue") again.
            throw SimHTTPError(status: 400, body: ["message": .string("Cannot transition status via :\(state == "running" ? "run" : "enqueue") from :\(state) (Reason(s): Status cannot transition via \"\(state == "running" ? "run" : "enqueue")\")")])
        }
        let s = recordStatus(&p, sha: sha, context: context, state: state, description: description, targetURL: b[urlKey]?.string, creator: "promote-bot")
        switch flavour {
        case .github:
            return .json(201, githubStatus(s, p, r), headers: [("Location", "\(r.origin)/repos/\(p.path)/statuses/\(sha)")])
        case .gitea: return .json(201, giteaStatus(s, p, r))
        case .gitlab: return .json(201, gitlabStatus(s, p, r))
        case .bitbucket: return .json(201, bitbucketStatus(s, p, r))
        }
    }

    private func invalidStatus(_ message: String) -> SimHTTPError {
        switch flavour {
        case .github:
            SimHTTPError(status: 422, body: ["message": "Validation Failed", "documentation_url": "https://docs.github.com/rest",
                                             "errors": [["resource": "Status", "code": "custom", "message": .string(message)]]])
        case .gitlab: SimHTTPError(status: 400, body: ["message": .string("400 Bad request - \(message)")])
        case .gitea: SimHTTPError(status: 400, body: ["message": .string(message), "url": .string(config.origin + "/api/swagger")])
        case .bitbucket: SimHTTPError(status: 400, body: ["type": "error", "error": ["message": .string(message)]])
        }
    }

    /// GitHub's and Gitea's combined state: failure if any failed or errored, pending if any pending (or none), else success.
    private func combinedStatus(_ r: SimRequest, _ p: SimProject, ref: String) throws(SimHTTPError) -> SimResponse {
        let sha = try commit(p, ref)
        let all = latest(p, sha, checkRuns: false)
        let states = Set(all.map(\.state))
        let state = !states.isDisjoint(with: ["failure", "error"]) ? "failure"
            : (all.isEmpty || states.contains("pending")) ? "pending" : "success"
        let perPageKey = flavour == .github ? "per_page" : "limit"
        let (slice, headers) = page(all, r, perPageKey: perPageKey, defaultSize: 30, maxSize: flavour == .github ? 100 : 50)
        let repository: SimJSON
        if flavour == .github {
            repository = githubRepository(p, r)
        } else {
            var repo = giteaText(SimTemplates.giteaRepository, p, r)
            repo["name"] = .string(p.name)
            repo["full_name"] = .string(p.path)
            repository = repo
        }
        let statuses: [SimJSON] = slice.map { flavour == .github ? githubStatus($0, p, r, simple: true) : giteaStatus($0, p, r) }
        return .json(200, ["state": .string(state), "sha": .string(sha), "total_count": .int(all.count), "statuses": .array(statuses),
                           "repository": repository, "commit_url": .string("\(r.origin)\(flavour.apiPrefix)/repos/\(p.path)/commits/\(sha)"),
                           "url": .string("\(r.origin)\(flavour.apiPrefix)/repos/\(p.path)/commits/\(sha)/status")], headers: headers)
    }

    private func githubStatus(_ s: SimCommitStatus, _ p: SimProject, _ r: SimRequest, simple: Bool = false) -> SimJSON {
        var j = githubText(SimTemplates.githubStatus, p, r)
        j["id"] = .int(s.id)
        j["node_id"] = .string("SC_sim\(s.id)")
        j["url"] = .string("\(r.origin)/repos/\(p.path)/statuses/\(s.sha)")
        j["state"] = .string(s.state)
        j["context"] = .string(s.context)
        j["description"] = .string(s.description)
        j["target_url"] = SimJSON.str(s.targetURL)
        j["created_at"] = .string(s.createdAt)
        j["updated_at"] = .string(s.createdAt)
        if simple {
            j["creator"] = nil  // a simple-commit-status has no creator
            j["required"] = .null
        } else {
            j["creator"] = githubUser(r, login: s.creator)
        }
        return j
    }

    private func githubCheckRun(_ s: SimCommitStatus, _ p: SimProject, _ r: SimRequest) -> SimJSON {
        var j = githubText(SimTemplates.githubCheckRun, p, r)
        let api = "\(r.origin)/repos/\(p.path)/check-runs/\(s.id)"
        j["id"] = .int(s.id)
        j["node_id"] = .string("CR_sim\(s.id)")
        j["name"] = .string(s.context)
        j["head_sha"] = .string(s.sha)
        j["url"] = .string(api)
        j["html_url"] = .string("\(r.origin)/\(p.path)/runs/\(s.id)")
        j["details_url"] = SimJSON.str(s.targetURL)
        j["status"] = .string(s.state)
        j["conclusion"] = SimJSON.str(s.state == "completed" ? s.conclusion : nil)
        j["started_at"] = .string(s.createdAt)
        j["completed_at"] = s.state == "completed" ? .string(s.createdAt) : .null
        j["output"] = ["title": .string(s.description), "summary": .string(s.description), "text": .null, "annotations_count": 0,
                       "annotations_url": .string(api + "/annotations")]
        j["pull_requests"] = []
        return j
    }

    private func giteaStatus(_ s: SimCommitStatus, _ p: SimProject, _ r: SimRequest) -> SimJSON {
        ["id": .int(s.id), "status": .string(s.state), "context": .string(s.context), "description": .string(s.description),
         "target_url": .string(s.targetURL ?? ""), "url": .string("\(r.origin)/api/v1/repos/\(p.path)/statuses/\(s.sha)"),
         "creator": giteaUser(s.creator, r), "created_at": .string(s.createdAt), "updated_at": .string(s.createdAt)]
    }

    private func gitlabStatus(_ s: SimCommitStatus, _ p: SimProject, _ r: SimRequest) -> SimJSON {
        let done = !["pending", "running"].contains(s.state)
        return ["id": .int(s.id), "sha": .string(s.sha), "ref": .null, "status": .string(s.state), "name": .string(s.context),
                "target_url": SimJSON.str(s.targetURL), "description": .string(s.description), "created_at": .string(s.createdAt),
                "started_at": s.state == "pending" ? .null : .string(s.createdAt), "finished_at": done ? .string(s.createdAt) : .null,
                "allow_failure": false, "coverage": .null, "pipeline_id": .int(s.id), "author": gitlabUser(s.creator, r)]
    }

    private func bitbucketStatus(_ s: SimCommitStatus, _ p: SimProject, _ r: SimRequest) -> SimJSON {
        let commit = "\(r.origin)/2.0/repositories/\(p.path)/commit/\(s.sha)"
        return ["type": "build", "key": .string(s.context), "name": .string(s.context), "state": .string(s.state),
                "description": .string(s.description), "url": .string(s.targetURL ?? commit), "uuid": .string("{sim-status-\(s.id)}"),
                "created_on": .string(s.createdAt), "updated_on": .string(s.createdAt),
                "links": ["self": ["href": .string("\(commit)/statuses/build/\(s.context)")], "commit": ["href": .string(commit)]]]
    }
}
