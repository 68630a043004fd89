internal import JSON
internal import Foundation

/// The Bitbucket Cloud flavour: 2.0 pull requests, built from the example in Atlassian's own API description.
/// Pagination is in the body (`values`, `next`, `page`, `pagelen`, `size`).
extension SimForge {
    func bitbucket(_ r: SimRequest) throws(SimHTTPError) -> SimResponse {
        let s = r.segments
        let m = r.method
        if s == ["user"] && m == "GET" { return .json(200, bitbucketAccount("promote-bot", r)) }
        guard s.count >= 3, s[0] == "repositories" else { throw notFound("path") }
        var p = try project("\(s[1])/\(s[2])")
        let rest = Array(s.dropFirst(3))
        defer { save(p) }
        if let answer = try commitStatusRoute(r, &p, rest) { return answer }
        switch (m, rest.count, rest.first) {
        case ("GET", 0, _):
            return .json(200, ["type": "repository", "name": .string(p.name), "full_name": .string(p.path), "scm": "git",
                               "mainbranch": ["type": "branch", "name": "main"], "is_private": true,
                               "links": ["html": ["href": .string("\(r.origin)/\(p.path)")]]])
        case ("GET", 1, "pullrequests"):
            let states = r.rawQuery.split(separator: "&").filter { $0.hasPrefix("state=") }.map { String($0.dropFirst(6)) }
            var prs = p.pulls.values.sorted { $0.number > $1.number }
            let wanted = states.isEmpty ? ["OPEN"] : states
            prs = prs.filter { wanted.contains(bitbucketState($0)) }
            let size = min(50, max(1, Int(r.query["pagelen"] ?? "") ?? config.defaultPageSize ?? 10))
            let pageNo = max(1, Int(r.query["page"] ?? "") ?? 1)
            let start = min(prs.count, (pageNo - 1) * size)
            let slice = Array(prs[start..<min(prs.count, start + size)])
            var doc: SimJSON = ["pagelen": .int(size), "page": .int(pageNo), "size": .int(prs.count),
                                "values": .array(refreshed(slice, p).map { bitbucketPull($0, p, r) })]
            if start + size < prs.count {
                let q = (wanted.map { "state=\($0)" } + ["pagelen=\(size)", "page=\(pageNo + 1)"]).joined(separator: "&")
                doc["next"] = .string("\(r.origin)/2.0\(r.path)?\(q)")
            }
            if pageNo > 1 {
                let q = (wanted.map { "state=\($0)" } + ["pagelen=\(size)", "page=\(pageNo - 1)"]).joined(separator: "&")
                doc["previous"] = .string("\(r.origin)/2.0\(r.path)?\(q)")
            }
            return .json(200, doc)
        case ("POST", 1, "pullrequests"):
            let b = r.json ?? [:]
            guard let title = b["title"]?.string, let head = b["source"]?["branch"]?["name"]?.string else {
                throw SimHTTPError(status: 400, body: ["type": "error", "error": ["message": "title and source.branch.name are required"]])
            }
            let base = b["destination"]?["branch"]?["name"]?.string ?? "main"
            var pr = try openPullRequest(in: &p, title: title, body: b["description"]?.string ?? "", head: head, base: base, draft: b["draft"]?.bool ?? false)
            pr.reviewers = (b["reviewers"]?.array ?? []).compactMap { $0["account_id"]?.string ?? $0["uuid"]?.string }
            p.pulls[pr.number] = pr
            return .json(201, bitbucketPull(pr, p, r), headers: [("Location", "\(r.origin)/2.0/repositories/\(p.path)/pullrequests/\(pr.number)")])
        case (_, _, "refs") where rest.count >= 3 && rest[1] == "branches":
            let branch = rest.dropFirst(2).joined(separator: "/")
            guard let sha = (try? p.repo.tip(branch)) ?? nil else { throw notFound("Branch \(branch)") }
            if m == "DELETE" {
                try? p.repo.deleteBranch(branch)
                return .empty(204)
            }
            return .json(200, ["type": "branch", "name": .string(branch), "target": ["type": "commit", "hash": .string(sha)]])
        default: break
        }
        guard rest.count >= 2, rest[0] == "pullrequests", let number = Int(rest[1]) else { throw notFound("path") }
        let tail = Array(rest.dropFirst(2))
        switch (m, tail) {
        case ("GET", []):
            return .json(200, bitbucketPull(refreshed([try pull(p, number)], p)[0], p, r))
        case ("PUT", []):
            var pr = try pull(p, number)
            let b = r.json ?? [:]
            if let t = b["title"]?.string { pr.title = t }
            if let t = b["description"]?.string { pr.body = t }
            if let list = b["reviewers"]?.array { pr.reviewers = list.compactMap { $0["account_id"]?.string ?? $0["uuid"]?.string } }
            pr.updatedAt = Self.now()
            p.pulls[number] = pr
            return .json(200, bitbucketPull(pr, p, r))
        case ("POST", ["merge"]):
            let strategy = r.json?["merge_strategy"]?.string ?? "merge_commit"
            let pr = try mergePullRequest(in: &p, number, squash: strategy == "squash")
            if r.json?["close_source_branch"]?.bool == true { try? p.repo.deleteBranch(pr.head) }
            return .json(200, bitbucketPull(pr, p, r))
        case ("POST", ["decline"]):
            let pr = try closePullRequest(in: &p, number)
            return .json(200, bitbucketPull(pr, p, r))
        case ("GET", ["comments"]):
            let pr = try pull(p, number)
            return .json(200, ["pagelen": 100, "page": 1, "size": .int(pr.comments.count),
                               "values": .array(pr.comments.map { bitbucketComment($0, number, p, r) })])
        case ("POST", ["comments"]):
            guard let raw = r.json?["content"]?["raw"]?.string else {
                throw SimHTTPError(status: 400, body: ["type": "error", "error": ["message": "content.raw is required"]])
            }
            let c = try addComment(in: &p, number, body: raw)
            return .json(201, bitbucketComment(c, number, p, r))
        default:
            throw notFound("path")
        }
    }

    func bitbucketState(_ pr: ForgeSimPullRequest) -> String {
        switch pr.state {
        case .open: "OPEN"
        case .merged: "MERGED"
        case .closed: "DECLINED"
        }
    }

    func bitbucketAccount(_ name: String, _ r: SimRequest) -> SimJSON {
        ["type": "user", "display_name": .string(name), "nickname": .string(name), "account_id": .string("557058:\(userID(name))"),
         "uuid": .string("{00000000-0000-4000-8000-\(String(format: "%012d", userID(name)))}"),
         "links": ["html": ["href": .string("\(r.origin)/\(name)/")]]]
    }

    func bitbucketComment(_ c: ForgeSimComment, _ number: Int, _ p: SimProject, _ r: SimRequest) -> SimJSON {
        ["type": "pullrequest_comment", "id": .int(c.id), "created_on": .string(c.createdAt), "updated_on": .string(c.createdAt),
         "content": ["raw": .string(c.body), "markup": "markdown", "html": .string("<p>\(c.body)</p>")],
         "user": bitbucketAccount("promote-bot", r), "deleted": false,
         "links": ["html": ["href": .string("\(r.origin)/\(p.path)/pull-requests/\(number)/_/diff#comment-\(c.id)")]]]
    }

    func bitbucketPull(_ pr: ForgeSimPullRequest, _ p: SimProject, _ r: SimRequest) -> SimJSON {
        var j = cachedTemplate("bb|\(r.origin)|\(p.path)|\(pr.number)") {
            .template(SimTemplates.bitbucketPullRequest
                .replacingOccurrences(of: "https://api.bitbucket.org", with: r.origin)
                .replacingOccurrences(of: "https://bitbucket.org", with: r.origin)
                .replacingOccurrences(of: "example-username/bits_and_bobs", with: p.path)
                .replacingOccurrences(of: "pullrequests/1/", with: "pullrequests/\(pr.number)/")
                .replacingOccurrences(of: "pullrequests/1\"", with: "pullrequests/\(pr.number)\"")
                .replacingOccurrences(of: "pull-requests/1\"", with: "pull-requests/\(pr.number)\""))
        }
        j["links"]?["statuses"] = nil  // in Atlassian's own example, but not allowed by its schema
        j["id"] = .int(pr.number)
        j["title"] = .string(pr.title)
        j["description"] = .string(pr.body)
        j["summary"] = ["raw": .string(pr.body), "markup": "markdown", "html": .string("<p>\(pr.body)</p>")]
        j["state"] = .string(bitbucketState(pr))
        j["draft"] = .bool(pr.draft)
        j["close_source_branch"] = false
        j["created_on"] = .string(pr.createdAt)
        j["updated_on"] = .string(pr.updatedAt)
        j["comment_count"] = .int(pr.comments.count)
        j["author"] = bitbucketAccount("promote-bot", r)
        j["reviewers"] = .array(pr.reviewers.map { id in
            ["type": "user", "account_id": .string(id), "display_name": .string(id), "nickname": .string(id)]
        })
        if let sha = pr.mergeCommitSHA { j["merge_commit"] = ["hash": .string(sha)] } else { j["merge_commit"] = nil }
        // Bitbucket names whoever merged or declined the pull request in `closed_by`.
        if let by = pr.state == .open ? nil : (pr.closedBy ?? pr.mergedBy) { j["closed_by"] = bitbucketAccount(by, r) } else { j["closed_by"] = nil }
        for (side, ref, sha) in [("source", pr.head, pr.headSHA), ("destination", pr.base, pr.baseSHA)] {
            if var e = j[side] {
                e["branch"] = ["name": .string(ref)]
                e["commit"] = ["hash": .string(String(sha.prefix(12)))]  // the example's commit links/type break its schema
                e["repository"]?["full_name"] = .string(p.path)
                e["repository"]?["name"] = .string(p.name)
                j[side] = e
            }
        }
        return j
    }
}
