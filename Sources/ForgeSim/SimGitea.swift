internal import JSON
internal import Foundation

/// The Gitea/Forgejo flavour: v1 pull requests, shaped like gitea.com's recorded answers.
extension SimForge {
    func gitea(_ r: SimRequest) throws(SimHTTPError) -> SimResponse {
        let s = r.segments
        let m = r.method
        if s == ["user"] && m == "GET" { return .json(200, giteaUser("promote-bot", r)) }
        if s == ["version"] && m == "GET" { return .json(200, .template(SimTemplates.giteaVersion)) }
        guard s.count >= 3, s[0] == "repos" else { throw notFound("path") }
        var p = try project("\(s[1])/\(s[2])")
        let rest = Array(s.dropFirst(3))
        defer { save(p) }
        if let answer = try commitStatusRoute(r, &p, rest) { return answer }
        switch (m, rest.count, rest.first) {
        case ("GET", 0, _):
            var j = giteaText(SimTemplates.giteaRepository, p, r)
            j["name"] = .string(p.name)
            j["full_name"] = .string(p.path)
            j["default_branch"] = "main"
            return .json(200, j)
        case ("GET", 1, "pulls"):
            let state = r.query["state"] ?? "open"
            var prs = p.pulls.values.sorted { $0.number > $1.number }
            prs = prs.filter { state == "all" || (state == "open" ? $0.state == .open : $0.state != .open) }
            if config.honourListFilters, let base = r.query["base_branch"] { prs = prs.filter { $0.base == base } }
            let (slice, headers) = page(prs, r, perPageKey: "limit", defaultSize: 30, maxSize: 50)
            return .json(200, .array(refreshed(slice, p).map { giteaPull($0, p, r) }), headers: headers)
        case ("POST", 1, "pulls"):
            let b = r.json ?? [:]
            guard let head = b["head"]?.string, let base = b["base"]?.string else {
                throw SimHTTPError(status: 422, body: ["message": "[Head]: Required; [Base]: Required", "url": .string(r.origin + "/api/swagger")])
            }
            let title = b["title"]?.string ?? head
            let draft = title.hasPrefix("WIP:") || title.hasPrefix("[WIP]")
            let pr = try openPullRequest(in: &p, title: title, body: b["body"]?.string ?? "", head: head, base: base, draft: draft)
            return .json(201, giteaPull(pr, p, r))
        case ("GET", 1, "labels"):
            let (slice, headers) = page(p.labels, r, perPageKey: "limit", defaultSize: 30, maxSize: 50)
            return .json(200, .array(slice.map { giteaLabel($0, p, r) }), headers: headers)
        case (_, _, "branches") where rest.count >= 2:
            let branch = rest.dropFirst().joined(separator: "/")
            guard let sha = (try? p.repo.tip(branch)) ?? nil else { throw notFound("branch") }
            if m == "DELETE" {
                try? p.repo.deleteBranch(branch)
                return .empty(204)
            }
            if m == "GET" {
                return .json(200, ["name": .string(branch), "commit": ["id": .string(sha), "message": "", "url": .string("\(r.origin)/\(p.path)/commit/\(sha)")],
                                   "protected": false, "user_can_push": true, "user_can_merge": true])
            }
            throw notFound("path")
        default: break
        }
        guard rest.count >= 2, let number = Int(rest[1]) else { throw notFound("path") }
        let tail = Array(rest.dropFirst(2))
        switch (m, rest[0], tail) {
        case ("GET", "pulls", []):
            let pr = refreshed([try pull(p, number)], p)[0]
            var j = giteaPull(pr, p, r)
            j["mergeable"] = .bool(pr.state == .open && p.repo.canMerge(head: pr.head, base: pr.base))
            return .json(200, j)
        case ("PATCH", "pulls", []):
            var pr = try pull(p, number)
            let b = r.json ?? [:]
            if let t = b["title"]?.string { pr.title = t; pr.draft = t.hasPrefix("WIP:") || t.hasPrefix("[WIP]") }
            if let t = b["body"]?.string { pr.body = t }
            pr.updatedAt = Self.now()
            p.pulls[number] = pr
            if b["state"]?.string == "closed" { pr = try closePullRequest(in: &p, number) }
            if b["state"]?.string == "open", pr.state == .closed {
                pr.state = .open
                pr.closedAt = nil
                p.pulls[number] = pr
            }
            return .json(201, giteaPull(pr, p, r))
        case ("GET", "pulls", ["merge"]):
            return try pull(p, number).state == .merged ? .empty(204) : .empty(404)
        case ("POST", "pulls", ["merge"]):
            guard let how = (r.json?["do"] ?? r.json?["Do"])?.string else {
                throw SimHTTPError(status: 422, body: ["message": "[Do]: Required", "url": .string(r.origin + "/api/swagger")])
            }
            _ = try mergePullRequest(in: &p, number, squash: how == "squash")
            if r.json?["delete_branch_after_merge"]?.bool == true, let pr = p.pulls[number] { try? p.repo.deleteBranch(pr.head) }
            return .empty(200)
        case ("POST", "pulls", ["requested_reviewers"]):
            var pr = try pull(p, number)
            let b = r.json ?? [:]
            var added: [SimJSON] = []
            for u in b["reviewers"]?.array ?? [] {
                guard let n = u.string else { continue }
                if !pr.reviewers.contains(n) { pr.reviewers.append(n) }
                added.append(["id": .int(7000 + userID(n)), "reviewer": giteaUser(n, r), "state": "REQUEST_REVIEW", "body": "",
                              "submitted_at": .string(Self.now()), "updated_at": .string(Self.now()),
                              "pull_request_url": .string("\(r.origin)/\(p.path)/pulls/\(number)"), "html_url": .string("\(r.origin)/\(p.path)/pulls/\(number)")])
            }
            for t in b["team_reviewers"]?.array ?? [] { if let n = t.string, !pr.teamReviewers.contains(n) { pr.teamReviewers.append(n) } }
            p.pulls[number] = pr
            return .json(201, .array(added))
        case ("GET", "issues", ["labels"]):
            let pr = try pull(p, number)
            return .json(200, .array(pr.labels.compactMap { p.label($0) }.map { giteaLabel($0, p, r) }))
        case ("POST", "issues", ["labels"]):
            var pr = try pull(p, number)
            for l in r.json?["labels"]?.array ?? [] {
                let found = l.int.flatMap { id in p.labels.first { $0.id == id } } ?? l.string.flatMap { p.label($0) }
                guard let label = found else { throw notFound("label") }
                if !pr.labels.contains(label.name) { pr.labels.append(label.name) }
            }
            p.pulls[number] = pr
            return .json(200, .array(pr.labels.compactMap { p.label($0) }.map { giteaLabel($0, p, r) }))
        case ("GET", "issues", ["comments"]):
            return .json(200, .array(try pull(p, number).comments.map { giteaComment($0, number, p, r) }))
        case ("POST", "issues", ["comments"]):
            guard let body = r.json?["body"]?.string else {
                throw SimHTTPError(status: 422, body: ["message": "[Body]: Required", "url": .string(r.origin + "/api/swagger")])
            }
            let c = try addComment(in: &p, number, body: body)
            return .json(201, giteaComment(c, number, p, r))
        default:
            throw notFound("path")
        }
    }

    func giteaText(_ template: String, _ p: SimProject, _ r: SimRequest) -> SimJSON {
        cachedTemplate("gt|\(template.count)|\(template.prefix(64))|\(r.origin)|\(p.path)") { .template(template.replacingOccurrences(of: "https://gitea.com/api/v1", with: r.origin + "/api/v1")
            .replacingOccurrences(of: "https://gitea.com", with: r.origin)
            .replacingOccurrences(of: "gitea/test_repo", with: p.path)) }
    }

    func giteaUser(_ name: String, _ r: SimRequest) -> SimJSON {
        var u = SimJSON.template(SimTemplates.giteaUser)
        u["id"] = .int(userID(name))
        u["login"] = .string(name)
        u["login_name"] = ""
        u["full_name"] = .string(name)
        u["email"] = .string("\(name)@noreply.stand-in.invalid")
        u["html_url"] = .string("\(r.origin)/\(name)")
        u["website"] = ""
        return u
    }

    func giteaLabel(_ l: SimLabel, _ p: SimProject, _ r: SimRequest) -> SimJSON {
        var j = giteaText(SimTemplates.giteaLabel, p, r)
        j["id"] = .int(l.id)
        j["name"] = .string(l.name)
        j["url"] = .string("\(r.origin)/api/v1/repos/\(p.path)/labels/\(l.id)")
        return j
    }

    func giteaComment(_ c: ForgeSimComment, _ number: Int, _ p: SimProject, _ r: SimRequest) -> SimJSON {
        var j = giteaText(SimTemplates.giteaComment, p, r)
        j["id"] = .int(c.id)
        j["body"] = .string(c.body)
        j["created_at"] = .string(c.createdAt)
        j["updated_at"] = .string(c.createdAt)
        j["html_url"] = .string("\(r.origin)/\(p.path)/pulls/\(number)#issuecomment-\(c.id)")
        j["pull_request_url"] = .string("\(r.origin)/\(p.path)/pulls/\(number)")
        j["issue_url"] = ""
        j["user"] = giteaUser("promote-bot", r)
        return j
    }

    func giteaPull(_ pr: ForgeSimPullRequest, _ p: SimProject, _ r: SimRequest) -> SimJSON {
        var j = giteaText(SimTemplates.giteaPullRequest, p, r)
        j["id"] = .int(pr.id)
        j["number"] = .int(pr.number)
        j["title"] = .string(pr.title)
        j["body"] = .string(pr.body)
        j["state"] = .string(pr.state == .open ? "open" : "closed")
        j["draft"] = .bool(pr.draft)
        j["merged"] = .bool(pr.state == .merged)
        j["merged_at"] = SimJSON.str(pr.mergedAt)
        j["merged_by"] = pr.state == .merged ? giteaUser(pr.mergedBy ?? "promote-bot", r) : .null
        j["merge_commit_sha"] = pr.state == .merged ? SimJSON.str(pr.mergeCommitSHA) : .null
        j["mergeable"] = .bool(pr.state == .open)
        j["created_at"] = .string(pr.createdAt)
        j["updated_at"] = .string(pr.updatedAt)
        j["closed_at"] = SimJSON.str(pr.closedAt)
        j["comments"] = .int(pr.comments.count)
        j["user"] = giteaUser("promote-bot", r)
        j["labels"] = .array(pr.labels.compactMap { p.label($0) }.map { giteaLabel($0, p, r) })
        j["requested_reviewers"] = .array(pr.reviewers.map { giteaUser($0, r) })
        j["assignee"] = .null
        j["assignees"] = .null
        j["milestone"] = .null
        let web = "\(r.origin)/\(p.path)/pulls/\(pr.number)"
        j["url"] = .string(web)
        j["html_url"] = .string(web)
        j["diff_url"] = .string(web + ".diff")
        j["patch_url"] = .string(web + ".patch")
        for (side, ref, sha) in [("head", pr.head, pr.headSHA), ("base", pr.base, pr.baseSHA)] {
            if var b = j[side] {
                b["ref"] = .string(ref)
                b["sha"] = .string(sha)
                b["label"] = .string(ref)
                b["repo_id"] = .int(p.id)
                j[side] = b
            }
        }
        j["merge_base"] = .string(pr.baseSHA)
        return j
    }
}
