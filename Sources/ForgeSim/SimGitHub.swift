internal import JSON
internal import Foundation

/// The GitHub flavour: REST v3 paths and objects built from GitHub's own examples.
extension SimForge {
    func github(_ r: SimRequest) throws(SimHTTPError) -> SimResponse {
        let s = r.segments
        let m = r.method
        if s == ["user"] && m == "GET" { return .json(200, githubUser(r)) }
        if s == ["rate_limit"] && m == "GET" { return .json(200, .template(SimTemplates.githubRateLimit)) }
        guard s.count >= 3, s[0] == "repos" else { throw notFound("path") }
        var p = try project("\(s[1])/\(s[2])")
        let rest = Array(s.dropFirst(3))
        defer { save(p) }
        if let answer = try commitStatusRoute(r, &p, rest) { return answer }
        switch (m, rest.count, rest.first) {
        case ("GET", 0, _):
            return .json(200, githubRepository(p, r))
        case ("GET", 1, "pulls"):
            let state = r.query["state"] ?? "open"
            var prs = p.pulls.values.sorted { $0.number > $1.number }
            prs = prs.filter { state == "all" || (state == "open" ? $0.state == .open : $0.state != .open) }
            if config.honourListFilters, let head = r.query["head"] {
                let branch = head.split(separator: ":", maxSplits: 1).last.map(String.init) ?? head
                prs = prs.filter { $0.head == branch }
            }
            if config.honourListFilters, let base = r.query["base"] { prs = prs.filter { $0.base == base } }
            let (slice, headers) = page(prs, r, perPageKey: "per_page", defaultSize: 30, maxSize: 100)
            return .json(200, .array(refreshed(slice, p).map { githubPull($0, p, r, simple: true) }), headers: headers)
        case ("POST", 1, "pulls"):
            let b = r.json ?? [:]
            guard let title = b["title"]?.string, let head = b["head"]?.string, let base = b["base"]?.string else {
                throw SimHTTPError(status: 422, body: ["message": "Validation Failed", "errors": [["resource": "PullRequest", "code": "missing_field", "field": "head"]], "documentation_url": "https://docs.github.com/rest"])
            }
            let branch = head.split(separator: ":", maxSplits: 1).last.map(String.init) ?? head
            let pr = try openPullRequest(in: &p, title: title, body: b["body"]?.string ?? "", head: branch, base: base, draft: b["draft"]?.bool ?? false)
            return .json(201, githubPull(pr, p, r, simple: false), headers: [("Location", "\(r.origin)/repos/\(p.path)/pulls/\(pr.number)")])
        default: break
        }
        guard rest.count >= 2, let number = Int(rest[1]) else {
            if m == "DELETE", rest.count >= 3, rest[0] == "git", rest[1] == "refs" {
                let ref = rest.dropFirst(2).joined(separator: "/")
                guard ref.hasPrefix("heads/"), (try? p.repo.tip(String(ref.dropFirst(6)))) ?? nil != nil else {
                    throw SimHTTPError(status: 422, body: ["message": "Reference does not exist", "documentation_url": "https://docs.github.com/rest/git/refs#delete-a-reference"])
                }
                try? p.repo.deleteBranch(String(ref.dropFirst(6)))
                return .empty(204)
            }
            throw notFound("path")
        }
        let tail = Array(rest.dropFirst(2))
        switch (m, rest[0], tail) {
        case ("GET", "pulls", []):
            var pr = try pull(p, number)
            pr = refreshed([pr], p)[0]
            var json = githubPull(pr, p, r, simple: false)
            json["mergeable"] = pr.state == .open ? .bool(p.repo.canMerge(head: pr.head, base: pr.base)) : .null
            return .json(200, json)
        case ("PATCH", "pulls", []):
            var pr = try pull(p, number)
            let b = r.json ?? [:]
            if let t = b["title"]?.string { pr.title = t }
            if let t = b["body"]?.string { pr.body = t }
            pr.updatedAt = Self.now()
            p.pulls[number] = pr
            if b["state"]?.string == "closed" { pr = try closePullRequest(in: &p, number) }
            if b["state"]?.string == "open", pr.state == .closed {
                pr.state = .open
                pr.closedAt = nil
                p.pulls[number] = pr
            }
            return .json(200, githubPull(pr, p, r, simple: false))
        case ("GET", "pulls", ["merge"]):
            return try pull(p, number).state == .merged ? .empty(204) : .json(404, ["message": "Not Found", "documentation_url": "https://docs.github.com/rest"])
        case ("PUT", "pulls", ["merge"]):
            let method = r.json?["merge_method"]?.string ?? "merge"
            if let sha = r.json?["sha"]?.string, sha != refreshed([try pull(p, number)], p)[0].headSHA {
                throw SimHTTPError(status: 409, body: ["message": "Head branch was modified. Review and try the merge again.", "documentation_url": "https://docs.github.com/rest"])
            }
            let pr = try mergePullRequest(in: &p, number, squash: method != "merge")
            return .json(200, ["sha": SimJSON.str(pr.mergeCommitSHA), "merged": true, "message": "Pull Request successfully merged"])
        case ("POST", "pulls", ["requested_reviewers"]):
            var pr = try pull(p, number)
            let b = r.json ?? [:]
            for u in b["reviewers"]?.array ?? [] { if let n = u.string, !pr.reviewers.contains(n) { pr.reviewers.append(n) } }
            for t in b["team_reviewers"]?.array ?? [] { if let n = t.string, !pr.teamReviewers.contains(n) { pr.teamReviewers.append(n) } }
            p.pulls[number] = pr
            return .json(201, githubPull(pr, p, r, simple: true))
        case ("POST", "issues", ["labels"]):
            var pr = try pull(p, number)
            // GitHub takes {"labels": [...]}, and also a bare array or a single string (PyGithub sends an array).
            let given: [SimJSON] = r.json?["labels"]?.array ?? r.json?.array ?? r.json?.string.map { [.string($0)] } ?? []
            for l in given {
                guard let n = l.string else { continue }
                if p.label(n) == nil { p.labels.append(SimLabel(id: p.labels.count + 1, name: n)) }
                if !pr.labels.contains(n) { pr.labels.append(n) }
            }
            p.pulls[number] = pr
            return .json(200, .array(pr.labels.compactMap { p.label($0) }.map { githubLabel($0, p, r) }))
        case ("POST", "issues", ["comments"]):
            guard let body = r.json?["body"]?.string else {
                throw SimHTTPError(status: 422, body: ["message": "Validation Failed", "errors": [["resource": "IssueComment", "code": "missing_field", "field": "body"]], "documentation_url": "https://docs.github.com/rest"])
            }
            let c = try addComment(in: &p, number, body: body)
            return .json(201, githubComment(c, number, p, r))
        case ("GET", "issues", []):
            return .json(200, githubIssue(refreshed([try pull(p, number)], p)[0], p, r))
        case ("GET", "issues", ["comments"]):
            let pr = try pull(p, number)
            let (slice, headers) = page(pr.comments, r, perPageKey: "per_page", defaultSize: 30, maxSize: 100)
            return .json(200, .array(slice.map { githubComment($0, number, p, r) }), headers: headers)
        default:
            throw notFound("path")
        }
    }

    /// A template with GitHub's example host, repository and number replaced by the stand-in's.
    func githubText(_ template: String, _ p: SimProject, _ r: SimRequest, number: Int? = nil) -> SimJSON {
        cachedTemplate("gh|\(template.count)|\(template.prefix(64))|\(r.origin)|\(p.path)|\(number ?? 0)") {
            githubTextUncached(template, p, r, number: number)
        }
    }

    private func githubTextUncached(_ template: String, _ p: SimProject, _ r: SimRequest, number: Int?) -> SimJSON {
        var t = template.replacingOccurrences(of: "https://api.github.com", with: r.origin)
            .replacingOccurrences(of: "https://github.com", with: r.origin)
            .replacingOccurrences(of: "octocat/Hello-World", with: p.path)
            .replacingOccurrences(of: "\"Hello-World\"", with: "\"\(p.name)\"")
        if let number {
            for kind in ["pulls/", "issues/", "pull/"] { t = t.replacingOccurrences(of: kind + "1347", with: kind + "\(number)") }
        }
        return .template(t)
    }

    /// The repository: GitHub's example, with the fields API version 2022-11-28 requires that the 2020 example lacks.
    func githubRepository(_ p: SimProject, _ r: SimRequest) -> SimJSON {
        var repo = githubText(SimTemplates.githubRepository, p, r)
        repo["template_repository"] = nil  // GitHub's own example has null here, which its 2020 schema does not allow
        repo["default_branch"] = "main"
        repo["has_discussions"] = false
        return repo
    }

    func githubUser(_ r: SimRequest, login: String = "promote-bot") -> SimJSON {
        var u = SimJSON.template(SimTemplates.githubUser.replacingOccurrences(of: "https://api.github.com", with: r.origin)
            .replacingOccurrences(of: "https://github.com", with: r.origin).replacingOccurrences(of: "octocat", with: login))
        u["id"] = .int(userID(login))
        return u
    }

    func githubLabel(_ l: SimLabel, _ p: SimProject, _ r: SimRequest) -> SimJSON {
        var j = githubText(SimTemplates.githubLabel, p, r)
        j["id"] = .int(l.id)
        j["name"] = .string(l.name)
        j["url"] = .string("\(r.origin)/repos/\(p.path)/labels/\(l.name)")
        j["archived_at"] = .null  // API version 2022-11-28 requires these (null for a label in use); the 2020 example lacks them
        j["archived_by"] = .null
        return j
    }

    func githubComment(_ c: ForgeSimComment, _ number: Int, _ p: SimProject, _ r: SimRequest) -> SimJSON {
        var j = githubText(SimTemplates.githubIssueComment, p, r, number: number)
        j["id"] = .int(c.id)
        j["body"] = .string(c.body)
        j["created_at"] = .string(c.createdAt)
        j["updated_at"] = .string(c.createdAt)
        j["url"] = .string("\(r.origin)/repos/\(p.path)/issues/comments/\(c.id)")
        j["html_url"] = .string("\(r.origin)/\(p.path)/pull/\(number)#issuecomment-\(c.id)")
        j["user"] = githubUser(r)
        j["author_association"] = "COLLABORATOR"  // GitHub's example says "collaborator"; the API sends the upper-case enum
        return j
    }

    /// The issue side of a pull request (`GET /issues/N`): where GitHub says who closed it (`closed_by`). Not in the
    /// 2020 description's kept operations; shaped on API version 2022-11-28's `issue` (githubkit's model parses it).
    func githubIssue(_ pr: ForgeSimPullRequest, _ p: SimProject, _ r: SimRequest) -> SimJSON {
        let api = "\(r.origin)/repos/\(p.path)/issues/\(pr.number)"
        let closer = pr.state == .merged ? pr.mergedBy : pr.closedBy
        return [
            "id": .int(pr.id), "node_id": .string("I_sim\(pr.id)"), "url": .string(api), "repository_url": .string("\(r.origin)/repos/\(p.path)"),
            "labels_url": .string(api + "/labels{/name}"), "comments_url": .string(api + "/comments"), "events_url": .string(api + "/events"),
            "html_url": .string("\(r.origin)/\(p.path)/pull/\(pr.number)"), "number": .int(pr.number),
            "state": .string(pr.state == .open ? "open" : "closed"),
            "state_reason": pr.state == .open ? .null : .string(pr.state == .merged ? "completed" : "not_planned"),
            "title": .string(pr.title), "body": .string(pr.body), "user": githubUser(r),
            "labels": .array(pr.labels.compactMap { p.label($0) }.map { githubLabel($0, p, r) }),
            "assignee": .null, "assignees": [], "milestone": .null, "locked": false, "comments": .int(pr.comments.count),
            "pull_request": ["url": .string("\(r.origin)/repos/\(p.path)/pulls/\(pr.number)"), "html_url": .string("\(r.origin)/\(p.path)/pull/\(pr.number)"),
                             "diff_url": .string("\(r.origin)/\(p.path)/pull/\(pr.number).diff"), "patch_url": .string("\(r.origin)/\(p.path)/pull/\(pr.number).patch"),
                             "merged_at": SimJSON.str(pr.mergedAt)],
            "closed_at": SimJSON.str(pr.closedAt), "created_at": .string(pr.createdAt), "updated_at": .string(pr.updatedAt),
            "closed_by": pr.state == .open ? .null : githubUser(r, login: closer ?? "promote-bot"),
            "author_association": "COLLABORATOR",
        ]
    }

    func githubPull(_ pr: ForgeSimPullRequest, _ p: SimProject, _ r: SimRequest, simple: Bool) -> SimJSON {
        var j = githubText(simple ? SimTemplates.githubPullRequestSimple : SimTemplates.githubPullRequest, p, r, number: pr.number)
        j["id"] = .int(pr.id)
        j["number"] = .int(pr.number)
        j["node_id"] = .string("PR_sim\(pr.id)")
        j["title"] = .string(pr.title)
        j["body"] = .string(pr.body)
        j["state"] = .string(pr.state == .open ? "open" : "closed")
        j["draft"] = .bool(pr.draft)
        j["locked"] = false
        j["created_at"] = .string(pr.createdAt)
        j["updated_at"] = .string(pr.updatedAt)
        j["closed_at"] = SimJSON.str(pr.closedAt)
        j["merged_at"] = SimJSON.str(pr.mergedAt)
        j["merge_commit_sha"] = SimJSON.str(pr.mergeCommitSHA)
        j["statuses_url"] = .string("\(r.origin)/repos/\(p.path)/statuses/\(pr.headSHA)")
        j["labels"] = .array(pr.labels.compactMap { p.label($0) }.map { githubLabel($0, p, r) })
        j["requested_reviewers"] = .array(pr.reviewers.map { githubUser(r, login: $0) })
        if var teams = j["requested_teams"]?.array, let team = teams.first {
            teams = pr.teamReviewers.map { slug in
                var t = team
                t["slug"] = .string(slug)
                t["name"] = .string(slug)
                t["type"] = "organization"  // required by API version 2022-11-28, absent from the 2020 example
                t["parent"] = .null
                return t
            }
            j["requested_teams"] = .array(teams)
        }
        j["assignee"] = .null
        j["assignees"] = []
        j["auto_merge"] = .null
        for (side, ref, sha) in [("head", pr.head, pr.headSHA), ("base", pr.base, pr.baseSHA)] {
            if var b = j[side] {
                b["ref"] = .string(ref)
                b["sha"] = .string(sha)
                b["label"] = .string("\(p.owner):\(ref)")
                j[side] = b
            }
        }
        if !simple {
            j["merged"] = .bool(pr.state == .merged)
            j["mergeable"] = .null
            j["mergeable_state"] = .string(pr.state == .open ? "clean" : "unknown")
            j["merged_by"] = pr.state == .merged ? githubUser(r, login: pr.mergedBy ?? "promote-bot") : .null
            j["comments"] = .int(pr.comments.count)
            j["review_comments"] = 0
            j["commits"] = 1
        }
        return j
    }
}
