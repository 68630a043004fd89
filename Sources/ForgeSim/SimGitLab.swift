internal import JSON
internal import Foundation

/// The GitLab flavour: v4 merge requests, shaped like gitlab.com's recorded answers.
extension SimForge {
    func gitlab(_ r: SimRequest) throws(SimHTTPError) -> SimResponse {
        let s = r.segments
        let m = r.method
        if s == ["user"] && m == "GET" { return .json(200, gitlabUser("promote-bot", r)) }
        if s == ["users"] && m == "GET" {
            guard let name = r.query["username"] else { return .json(200, []) }
            return .json(200, [gitlabUser(name, r)])
        }
        guard s.count >= 2, s[0] == "projects" else { throw notFound("path") }
        let key = Int(s[1]).flatMap { projectIDs[$0] } ?? s[1]
        var p = try project(key)
        let rest = Array(s.dropFirst(2))
        defer { save(p) }
        if let answer = try commitStatusRoute(r, &p, rest) { return answer }
        if m == "GET" && rest.isEmpty { return .json(200, gitlabProject(p, r)) }
        if m == "DELETE", rest.count >= 3, rest[0] == "repository", rest[1] == "branches" {
            let branch = rest.dropFirst(2).joined(separator: "/")
            guard (try? p.repo.tip(branch)) ?? nil != nil else { throw SimHTTPError(status: 404, body: ["message": "404 Branch Not Found"]) }
            try? p.repo.deleteBranch(branch)
            return .empty(204)
        }
        guard rest.first == "merge_requests" else { throw notFound("path") }
        if rest.count == 1 {
            switch m {
            case "GET":
                let state = r.query["state"] ?? "all"
                var prs = p.pulls.values.sorted { $0.number > $1.number }
                prs = prs.filter {
                    switch state {
                    case "opened": $0.state == .open
                    case "closed": $0.state == .closed
                    case "merged": $0.state == .merged
                    default: true
                    }
                }
                if config.honourListFilters, let h = r.query["source_branch"] { prs = prs.filter { $0.head == h } }
                if config.honourListFilters, let b = r.query["target_branch"] { prs = prs.filter { $0.base == b } }
                let (slice, headers) = page(prs, r, perPageKey: "per_page", defaultSize: 20, maxSize: 100)
                return .json(200, .array(refreshed(slice, p).map { gitlabMR($0, p, r) }), headers: headers)
            case "POST":
                let b = r.json ?? [:]
                guard let title = b["title"]?.string, let head = b["source_branch"]?.string, let base = b["target_branch"]?.string else {
                    throw SimHTTPError(status: 400, body: ["message": "400 Bad request - source_branch, target_branch, title are missing"])
                }
                let draft = title.hasPrefix("Draft:") || title.hasPrefix("[Draft]") || title.hasPrefix("(Draft)")
                var pr = try openPullRequest(in: &p, title: title, body: b["description"]?.string ?? "", head: head, base: base, draft: draft)
                if let labels = b["labels"]?.string { pr.labels = labels.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
                for l in pr.labels where p.label(l) == nil { p.labels.append(SimLabel(id: p.labels.count + 1, name: l)) }
                p.pulls[pr.number] = pr
                return .json(201, gitlabMR(pr, p, r))
            default: throw notFound("path")
            }
        }
        guard let iid = Int(rest[1]) else { throw notFound("path") }
        let tail = Array(rest.dropFirst(2))
        switch (m, tail) {
        case ("GET", []):
            let pr = refreshed([try pull(p, iid)], p)[0]
            return .json(200, gitlabMR(pr, p, r, checkMergeable: true))
        case ("PUT", []):
            var pr = try pull(p, iid)
            let b = r.json ?? [:]
            guard !(b.object?.isEmpty ?? true) else { throw SimHTTPError(status: 400, body: ["message": "400 Bad request - at least one parameter must be provided"]) }
            if let t = b["title"]?.string { pr.title = t; pr.draft = t.hasPrefix("Draft:") }
            if let t = b["description"]?.string { pr.body = t }
            if let l = b["labels"]?.string { pr.labels = l.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
            if let l = b["add_labels"]?.string {
                for n in l.split(separator: ",").map({ String($0).trimmingCharacters(in: .whitespaces) }) where !pr.labels.contains(n) { pr.labels.append(n) }
            }
            if let l = b["remove_labels"]?.string {
                let drop = Set(l.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) })
                pr.labels.removeAll { drop.contains($0) }
            }
            for l in pr.labels where p.label(l) == nil { p.labels.append(SimLabel(id: p.labels.count + 1, name: l)) }
            if let ids = b["reviewer_ids"]?.array { pr.reviewers = ids.compactMap { $0.int.flatMap(userName) } }
            pr.updatedAt = Self.now()
            p.pulls[iid] = pr
            switch b["state_event"]?.string {
            case "close": pr = try closePullRequest(in: &p, iid)
            case "reopen" where pr.state == .closed:
                pr.state = .open
                pr.closedAt = nil
                p.pulls[iid] = pr
            default: break
            }
            return .json(200, gitlabMR(pr, p, r))
        case ("PUT", ["merge"]):
            let pr0 = try pull(p, iid)
            guard pr0.state == .open else { throw SimHTTPError(status: 405, body: ["message": "405 Method Not Allowed"]) }
            if let sha = r.json?["sha"]?.string, sha != refreshed([pr0], p)[0].headSHA {
                throw SimHTTPError(status: 409, body: ["message": .string("SHA does not match HEAD of source branch: \(sha)")])
            }
            let pr = try mergePullRequest(in: &p, iid, squash: r.json?["squash"]?.bool ?? false)
            if r.json?["should_remove_source_branch"]?.bool == true { try? p.repo.deleteBranch(pr.head) }
            return .json(200, gitlabMR(pr, p, r))
        case ("GET", ["notes"]):
            let pr = try pull(p, iid)
            let (slice, headers) = page(pr.comments, r, perPageKey: "per_page", defaultSize: 20, maxSize: 100)
            return .json(200, .array(slice.map { gitlabNote($0, iid, r) }), headers: headers)
        case ("POST", ["notes"]):
            guard let body = r.json?["body"]?.string else { throw SimHTTPError(status: 400, body: ["message": "400 Bad request - body is missing"]) }
            let c = try addComment(in: &p, iid, body: body)
            return .json(201, gitlabNote(c, iid, r))
        default:
            throw notFound("path")
        }
    }

    func gitlabText(_ template: String, _ p: SimProject, _ r: SimRequest) -> SimJSON {
        cachedTemplate("gl|\(template.count)|\(template.prefix(64))|\(r.origin)|\(p.path)") { .template(template.replacingOccurrences(of: "https://gitlab.com/api/v4", with: r.origin + "/api/v4")
            .replacingOccurrences(of: "https://gitlab.com", with: r.origin)
            .replacingOccurrences(of: "gitea/test_repo", with: p.path)
            .replacingOccurrences(of: "15578026", with: "\(p.id)")) }
    }

    func gitlabUser(_ name: String, _ r: SimRequest) -> SimJSON {
        var u = SimJSON.template(SimTemplates.gitlabUser.replacingOccurrences(of: "https://gitlab.com", with: r.origin)
            .replacingOccurrences(of: "oliverpool", with: name))
        u["id"] = .int(userID(name))
        return u
    }

    func gitlabProject(_ p: SimProject, _ r: SimRequest) -> SimJSON {
        var j = gitlabText(SimTemplates.gitlabProject, p, r)
        j["id"] = .int(p.id)
        j["name"] = .string(p.name)
        j["path"] = .string(p.name)
        j["path_with_namespace"] = .string(p.path)
        j["name_with_namespace"] = .string(p.path.replacingOccurrences(of: "/", with: " / "))
        j["default_branch"] = "main"
        return j
    }

    func gitlabNote(_ c: ForgeSimComment, _ iid: Int, _ r: SimRequest) -> SimJSON {
        var j = SimJSON.template(SimTemplates.gitlabNote.replacingOccurrences(of: "https://gitlab.com", with: r.origin))
        j["id"] = .int(c.id)
        j["body"] = .string(c.body)
        j["created_at"] = .string(c.createdAt)
        j["updated_at"] = .string(c.createdAt)
        j["noteable_iid"] = .int(iid)
        j["author"] = gitlabUser("promote-bot", r)
        return j
    }

    func gitlabMR(_ pr: ForgeSimPullRequest, _ p: SimProject, _ r: SimRequest, checkMergeable: Bool = false) -> SimJSON {
        var j = gitlabText(SimTemplates.gitlabMergeRequest, p, r)
        let state = switch pr.state {
        case .open: "opened"
        case .closed: "closed"
        case .merged: "merged"
        }
        let canMerge = pr.state == .open && (!checkMergeable || p.repo.canMerge(head: pr.head, base: pr.base))
        j["id"] = .int(pr.id)
        j["iid"] = .int(pr.number)
        j["project_id"] = .int(p.id)
        j["source_project_id"] = .int(p.id)
        j["target_project_id"] = .int(p.id)
        j["title"] = .string(pr.title)
        j["description"] = .string(pr.body)
        j["state"] = .string(state)
        j["created_at"] = .string(pr.createdAt)
        j["updated_at"] = .string(pr.updatedAt)
        j["closed_at"] = pr.state == .closed ? SimJSON.str(pr.closedAt) : .null
        j["closed_by"] = pr.state == .closed ? gitlabUser(pr.closedBy ?? "promote-bot", r) : .null
        j["merged_at"] = SimJSON.str(pr.mergedAt)
        j["merged_by"] = pr.state == .merged ? gitlabUser(pr.mergedBy ?? "promote-bot", r) : .null
        j["merge_user"] = j["merged_by"]
        j["source_branch"] = .string(pr.head)
        j["target_branch"] = .string(pr.base)
        j["sha"] = .string(pr.headSHA)
        j["merge_commit_sha"] = pr.state == .merged ? SimJSON.str(pr.mergeCommitSHA) : .null
        j["draft"] = .bool(pr.draft)
        j["work_in_progress"] = .bool(pr.draft)
        j["labels"] = .array(pr.labels.map { .string($0) })
        j["reviewers"] = .array(pr.reviewers.map { gitlabUser($0, r) })
        j["merge_status"] = .string(canMerge || pr.state != .open ? "can_be_merged" : "cannot_be_merged")
        j["detailed_merge_status"] = .string(pr.state != .open ? "not_open" : (canMerge ? "mergeable" : "conflict"))
        j["has_conflicts"] = .bool(pr.state == .open && !canMerge)
        j["user_notes_count"] = .int(pr.comments.count)
        j["reference"] = .string("!\(pr.number)")
        j["references"] = ["short": .string("!\(pr.number)"), "relative": .string("!\(pr.number)"), "full": .string("\(p.path)!\(pr.number)")]
        j["web_url"] = .string("\(r.origin)/\(p.path)/-/merge_requests/\(pr.number)")
        j["diff_refs"] = ["base_sha": .string(pr.baseSHA), "head_sha": .string(pr.headSHA), "start_sha": .string(pr.baseSHA)]
        j["prepared_at"] = .string(pr.createdAt)
        return j
    }
}
