internal import JSON
internal import Foundation

/// The stand-in's state and request handling: projects over bare repositories, pull requests, comments,
/// labels, injected faults. All state lives on one serial queue (its own thread, not the cooperative pool: handlers
/// run `git` synchronously), so every request sees a consistent forge.
final class SimForge: @unchecked Sendable {
    private let queue = DispatchQueue(label: "promote-forge-sim.state")
    var config: ForgeSimConfiguration
    var projects: [String: SimProject] = [:]
    var projectIDs: [Int: String] = [:]
    var faults: [ForgeSimFault] = []
    var users: [String: Int] = ["promote-bot": 1]
    var requestsServed = 0
    /// Templates with host, project and number filled in, parsed once.
    var templateCache: [String: SimJSON] = [:]
    let recorder: ExchangeRecorder

    init(config: ForgeSimConfiguration) {
        self.config = config
        self.recorder = ExchangeRecorder(path: config.recordPath)
    }

    var flavour: ForgeSimFlavour { config.flavour }

    func setPort(_ port: Int) async { await run { self.config.port = port } }

    /// Runs `body` on the state queue.
    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { c in queue.async { c.resume(returning: body()) } }
    }

    /// Runs a throwing `body` on the state queue.
    func runThrowing<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { c in queue.async { c.resume(with: Result { try body() }) } }
    }

    /// `make()` parsed once per `key`.
    func cachedTemplate(_ key: String, _ make: () -> SimJSON) -> SimJSON {
        if let t = templateCache[key] { return t }
        let t = make()
        templateCache[key] = t
        return t
    }

    // MARK: Projects

    /// The project for `path` (`owner/repo`), if its bare repository exists.
    func project(_ path: String) throws(SimHTTPError) -> SimProject {
        if let p = projects[path] { return p }
        let fm = FileManager.default
        let candidates = ["\(config.repositories)/\(path).git", "\(config.repositories)/\(path)"]
        guard let dir = candidates.first(where: { fm.fileExists(atPath: $0 + "/HEAD") }) else {
            throw notFound("project \(path)")
        }
        let id = projects.count + 1
        let p = SimProject(id: id, path: path, repo: BareRepository(path: dir))
        projects[path] = p
        projectIDs[id] = path
        return p
    }

    func save(_ p: SimProject) { projects[p.path] = p }

    func userID(_ name: String) -> Int {
        if let id = users[name] { return id }
        let id = users.count + 1
        users[name] = id
        return id
    }

    func userName(_ id: Int) -> String? { users.first { $0.value == id }?.key }

    // MARK: Dispatch

    func handle(_ request: SimRequest) async -> SimResponse {
        var response: SimResponse
        if let fault = await run({ self.takeFault(request) }) {
            if fault.kind == .delay {
                try? await Task.sleep(for: .milliseconds(fault.delayMilliseconds ?? 1000))  // off the queue
                response = await run { self.route(request) }
                response.fault = "delay"
            } else if fault.kind == .lostAnswer {
                response = await run {
                    _ = self.route(request)  // the forge acted...
                    let status = fault.status ?? 502
                    var lost = SimResponse.json(status, self.errorBody(status: status, message: "Bad Gateway"))  // ...the client never hears
                    lost.fault = fault.kind.rawValue
                    return lost
                }
            } else {
                response = await run { self.faultResponse(fault) }
            }
        } else {
            response = await run { self.route(request) }
        }
        let done = response
        return await run {
            var r = done
            self.requestsServed += 1
            r.headers += self.rateLimitHeaders()
            self.recorder.record(flavour: self.flavour, prefix: self.flavour.apiPrefix, request: request, response: r)
            return r
        }
    }

    private func route(_ request: SimRequest) -> SimResponse {
        if let token = config.token, !authorized(request, token: token) {
            return unauthorized()
        }
        do throws(SimHTTPError) {
            switch flavour {
            case .github: return try github(request)
            case .gitlab: return try gitlab(request)
            case .gitea: return try gitea(request)
            case .bitbucket: return try bitbucket(request)
            }
        } catch {
            return .json(error.status, error.body)
        }
    }

    private func authorized(_ r: SimRequest, token: String) -> Bool {
        let auth = r.header("Authorization") ?? ""
        let parts = auth.split(separator: " ", maxSplits: 1).map(String.init)
        let scheme = parts.first?.lowercased() ?? ""
        let value = parts.count > 1 ? parts[1] : ""
        switch flavour {
        case .github: return (scheme == "bearer" || scheme == "token") && value == token
        case .gitlab: return r.header("PRIVATE-TOKEN") == token || (scheme == "bearer" && value == token)
        case .gitea: return (scheme == "bearer" || scheme == "token") && value == token
        case .bitbucket:
            if scheme == "bearer" { return value == token }
            guard scheme == "basic", let decoded = Data(base64Encoded: value).map({ String(decoding: $0, as: UTF8.self) }) else { return false }
            return decoded.split(separator: ":", maxSplits: 1).last.map(String.init) == token
        }
    }

    func unauthorized() -> SimResponse {
        switch flavour {
        case .github: .json(401, ["message": "Bad credentials", "documentation_url": "https://docs.github.com/rest", "status": "401"])
        case .gitlab: .json(401, ["message": "401 Unauthorized"])
        case .gitea: .json(401, ["message": "user does not exist [uid: 0, name: ]", "url": .string(config.origin + "/api/swagger")])
        case .bitbucket: .json(401, ["type": "error", "error": ["message": "Token is invalid or not supported for this endpoint."]])
        }
    }

    // MARK: Faults

    func addFault(_ f: ForgeSimFault) async { await run { self.faults.append(f) } }
    func clearFaults() async { await run { self.faults.removeAll() } }

    private func takeFault(_ r: SimRequest) -> ForgeSimFault? {
        guard let i = faults.firstIndex(where: { $0.count > 0 && $0.matches(method: r.method, path: r.path) }) else { return nil }
        faults[i].count -= 1
        let f = faults[i]
        if faults[i].count <= 0 { faults.remove(at: i) }
        return f
    }

    private func faultResponse(_ f: ForgeSimFault) -> SimResponse {
        var r: SimResponse
        switch f.kind {
        case .status:
            let status = f.status ?? 503
            r = .json(status, errorBody(status: status, message: status == 502 ? "Server Error" : "Service Unavailable"))
            if let ra = f.retryAfter { r.headers.append(("Retry-After", "\(ra)")) }
        case .tooManyRequests:
            r = .json(429, errorBody(status: 429, message: flavour == .gitlab ? "Retry later" : "API rate limit exceeded"))
            r.headers.append(("Retry-After", "\(f.retryAfter ?? 1)"))
        case .secondaryRateLimit:
            r = .json(403, ["message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
                            "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"])
            if let ra = f.retryAfter {
                r.headers.append(("Retry-After", "\(ra)"))
            } else {
                r.headers += [("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "\(Int(Date().timeIntervalSince1970) + 1)")]
            }
        case .hugeBody:
            let n = max(16, f.bytes ?? (8 << 20))
            var body = Data("[\"".utf8)
            body.append(Data(repeating: UInt8(ascii: "x"), count: n - 4))
            body.append(Data("\"]".utf8))
            r = SimResponse(status: 200, headers: [("Content-Type", "application/json; charset=utf-8")], body: body)
        case .nonJSON:
            r = SimResponse(status: 200, headers: [("Content-Type", "text/html")],
                            body: Data("<html><body><h1>Welcome to nginx!</h1></body></html>\n".utf8))
        case .incompleteJSON:
            r = .json(200, ["message": "ok"])
        case .unauthorized:
            r = unauthorized()
        case .delay, .lostAnswer:
            r = .empty(500)
        }
        r.fault = f.kind.rawValue
        return r
    }

    func errorBody(status: Int, message: String) -> SimJSON {
        switch flavour {
        case .github: ["message": .string(message), "documentation_url": "https://docs.github.com/rest"]
        case .gitlab: ["message": .string("\(status) \(message)")]
        case .gitea: ["message": .string(message), "url": .string(config.origin + "/api/swagger")]
        case .bitbucket: ["type": "error", "error": ["message": .string(message)]]
        }
    }

    func notFound(_ what: String) -> SimHTTPError {
        switch flavour {
        case .github: SimHTTPError(status: 404, body: ["message": "Not Found", "documentation_url": "https://docs.github.com/rest"])
        case .gitlab: SimHTTPError(status: 404, body: ["message": .string("404 \(what) Not Found")])
        case .gitea: SimHTTPError(status: 404, body: ["message": "The target couldn't be found.", "url": .string(config.origin + "/api/swagger"), "errors": []])
        case .bitbucket: SimHTTPError(status: 404, body: ["type": "error", "error": ["message": .string("\(what) not found")]])
        }
    }

    private func rateLimitHeaders() -> [(String, String)] {
        let remaining = max(0, config.rateLimit - requestsServed)
        let reset = "\(Int(Date().timeIntervalSince1970) + 3600)"
        switch flavour {
        case .github:
            return [("X-RateLimit-Limit", "\(config.rateLimit)"), ("X-RateLimit-Remaining", "\(remaining)"),
                    ("X-RateLimit-Reset", reset), ("X-RateLimit-Used", "\(requestsServed)"), ("X-RateLimit-Resource", "core"),
                    ("X-GitHub-Api-Version-Selected", "2022-11-28"), ("X-GitHub-Media-Type", "github.v3; format=json")]
        case .gitlab:
            return [("RateLimit-Limit", "\(config.rateLimit)"), ("RateLimit-Remaining", "\(remaining)"),
                    ("RateLimit-Observed", "\(requestsServed)"), ("RateLimit-Reset", reset), ("RateLimit-Name", "throttle_authenticated_api")]
        case .gitea, .bitbucket:
            return []
        }
    }

    // MARK: Pull requests (forge-neutral)

    static func now() -> String {
        let f = ISO8601DateFormatter()
        return f.string(from: Date())
    }

    /// Opens a pull request after the checks every forge makes: both branches exist, no open one for the same pair.
    func openPullRequest(in p: inout SimProject, title: String, body: String, head: String, base: String, draft: Bool) throws(SimHTTPError) -> ForgeSimPullRequest {
        let branches = (try? p.repo.branches()) ?? [:]
        guard let headSHA = branches[head] else { throw invalid(field: "head", message: "head branch '\(head)' does not exist") }
        guard let baseSHA = branches[base] else { throw invalid(field: "base", message: "base branch '\(base)' does not exist") }
        if let existing = p.pulls.values.first(where: { $0.head == head && $0.base == base && $0.state == .open }) {
            throw alreadyExists(existing, project: p)
        }
        if flavour == .github && p.repo.isAncestor(headSHA, of: baseSHA) {
            throw SimHTTPError(status: 422, body: ["message": "Validation Failed", "documentation_url": "https://docs.github.com/rest",
                                                   "errors": [["resource": "PullRequest", "code": "custom", "message": .string("No commits between \(base) and \(head)")]]])
        }
        let now = Self.now()
        p.nextNumber += 1
        let pr = ForgeSimPullRequest(number: p.nextNumber, id: 1000 + p.nextNumber, title: title, body: body, head: head, base: base,
                                     state: .open, draft: draft, labels: [], reviewers: [], teamReviewers: [], comments: [],
                                     mergeCommitSHA: nil, headSHA: headSHA, baseSHA: baseSHA, createdAt: now, updatedAt: now,
                                     closedAt: nil, mergedAt: nil)
        p.pulls[pr.number] = pr
        return pr
    }

    private func invalid(field: String, message: String) -> SimHTTPError {
        switch flavour {
        case .github:
            SimHTTPError(status: 422, body: ["message": "Validation Failed", "documentation_url": "https://docs.github.com/rest",
                                             "errors": [["resource": "PullRequest", "field": .string(field), "code": "invalid"]]])
        case .gitlab: SimHTTPError(status: 400, body: ["message": .array([.string(message)])])
        case .gitea: SimHTTPError(status: 404, body: ["message": .string(message), "url": .string(config.origin + "/api/swagger")])
        case .bitbucket: SimHTTPError(status: 400, body: ["type": "error", "error": ["message": .string(message), "data": .object([field: .array([.string(message)])])]])
        }
    }

    private func alreadyExists(_ pr: ForgeSimPullRequest, project p: SimProject) -> SimHTTPError {
        switch flavour {
        case .github:
            let owner = p.path.split(separator: "/").first.map(String.init) ?? p.path
            return SimHTTPError(status: 422, body: ["message": "Validation Failed", "documentation_url": "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
                                                    "errors": [["resource": "PullRequest", "code": "custom", "message": .string("A pull request already exists for \(owner):\(pr.head).")]]])
        case .gitlab:
            return SimHTTPError(status: 409, body: ["message": [.string("Another open merge request already exists for this source branch: !\(pr.number)")]])
        case .gitea:
            return SimHTTPError(status: 409, body: [
                "message": .string("pull request already exists for these targets [id: \(pr.id), issue_id: \(pr.id), head_repo_id: \(p.id), base_repo_id: \(p.id), head_branch: \(pr.head), base_branch: \(pr.base)]"),
                "url": .string(config.origin + "/api/swagger")])
        case .bitbucket:
            // Bitbucket's answer to a duplicate is not documented; the stand-in answers 400 as for other invalid input.
            return SimHTTPError(status: 400, body: ["type": "error", "error": [
                "message": .string("There is already an open pull request from \(pr.head) to \(pr.base) (#\(pr.number))")]])
        }
    }

    func pull(_ p: SimProject, _ number: Int) throws(SimHTTPError) -> ForgeSimPullRequest {
        guard let pr = p.pulls[number] else { throw notFound("Merge Request") }
        return pr
    }

    /// Merges on the bare repository, as the forge's merge button does.
    func mergePullRequest(in p: inout SimProject, _ number: Int, squash: Bool, by login: String = "promote-bot") throws(SimHTTPError) -> ForgeSimPullRequest {
        var pr = try pull(p, number)
        guard pr.state == .open else {
            throw SimHTTPError(status: 405, body: errorBody(status: 405, message: "Pull Request is not mergeable"))
        }
        let sha: String
        do {
            sha = try p.repo.merge(head: pr.head, base: pr.base, squash: squash, message: "Merge pull request #\(number) from \(pr.head)\n\n\(pr.title)")
        } catch {
            throw SimHTTPError(status: flavour == .gitlab ? 406 : 405, body: errorBody(status: 405, message: "Pull Request is not mergeable: \(error)"))
        }
        let now = Self.now()
        pr.state = .merged
        pr.mergeCommitSHA = sha
        pr.mergedAt = now
        pr.closedAt = now
        pr.mergedBy = login
        pr.updatedAt = now
        p.pulls[number] = pr
        return pr
    }

    func closePullRequest(in p: inout SimProject, _ number: Int, by login: String = "promote-bot") throws(SimHTTPError) -> ForgeSimPullRequest {
        var pr = try pull(p, number)
        if pr.state == .open {
            pr.state = .closed
            pr.closedBy = login
            pr.closedAt = Self.now()
            pr.updatedAt = pr.closedAt!
            p.pulls[number] = pr
        }
        return pr
    }

    /// Refreshes head/base SHAs from the repository for open pull requests.
    func refreshed(_ prs: [ForgeSimPullRequest], _ p: SimProject) -> [ForgeSimPullRequest] {
        guard let branches = try? p.repo.branches() else { return prs }
        return prs.map { pr in
            var pr = pr
            if pr.state == .open {
                if let h = branches[pr.head] { pr.headSHA = h }
                if let b = branches[pr.base] { pr.baseSHA = b }
            }
            return pr
        }
    }

    // MARK: Pagination

    /// One page of `items` and the pagination headers of this flavour.
    func page<T>(_ items: [T], _ r: SimRequest, perPageKey: String, defaultSize: Int, maxSize: Int) -> ([T], [(String, String)]) {
        let size = min(config.maxPageSize ?? maxSize, maxSize, max(1, Int(r.query[perPageKey] ?? "") ?? config.defaultPageSize ?? defaultSize))
        let pageNo = max(1, Int(r.query["page"] ?? "") ?? 1)
        let total = items.count
        let pages = max(1, (total + size - 1) / size)
        let start = min(total, (pageNo - 1) * size)
        let slice = Array(items[start..<min(total, start + size)])
        func link(_ n: Int) -> String {
            var q = r.query
            q["page"] = "\(n)"
            q[perPageKey] = "\(size)"
            let qs = q.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0.value)" }.joined(separator: "&")
            return "<\(r.origin)\(flavour.apiPrefix)\(r.path)?\(qs)>"
        }
        var rels: [String] = []
        if pageNo < pages { rels.append("\(link(pageNo + 1)); rel=\"next\"") }
        if pageNo > 1 { rels.append("\(link(pageNo - 1)); rel=\"prev\"") }
        if pages > 1 {
            rels.append("\(link(1)); rel=\"first\"")
            rels.append("\(link(pages)); rel=\"last\"")
        }
        var headers: [(String, String)] = rels.isEmpty ? [] : [("Link", rels.joined(separator: ", "))]
        switch flavour {
        case .github: break
        case .gitlab:
            headers += [("X-Page", "\(pageNo)"), ("X-Per-Page", "\(size)"), ("X-Total", "\(total)"), ("X-Total-Pages", "\(pages)"),
                        ("X-Next-Page", pageNo < pages ? "\(pageNo + 1)" : ""), ("X-Prev-Page", pageNo > 1 ? "\(pageNo - 1)" : "")]
        case .gitea:
            headers += [("X-Total-Count", "\(total)")]
        case .bitbucket:
            headers = []  // Bitbucket paginates in the body
        }
        return (slice, config.paginationHeaders ? headers : [])
    }

    // MARK: Control (tests, demos)

    /// Creates `count` branches at the tip of `base` and an open pull request for each (other people's work).
    func seedOpenPullRequests(project path: String, count: Int, base: String, prefix: String) async throws -> [Int] {
        try await runThrowing { try self.seedSync(project: path, count: count, base: base, prefix: prefix) }
    }

    private func seedSync(project path: String, count: Int, base: String, prefix: String) throws -> [Int] {
        var p = try project(path)
        guard let sha = try p.repo.tip(base) else { throw BareRepository.GitError(message: "no branch \(base)") }
        let names = (0..<count).map { "\(prefix)\(p.nextNumber + 1 + $0)" }
        try p.repo.createBranches(names, at: sha)
        var numbers: [Int] = []
        let now = Self.now()
        for name in names {
            p.nextNumber += 1
            let pr = ForgeSimPullRequest(number: p.nextNumber, id: 1000 + p.nextNumber, title: "Other change \(name)", body: "Not the bot's.",
                                         head: name, base: base, state: .open, draft: false, labels: [], reviewers: [], teamReviewers: [],
                                         comments: [], mergeCommitSHA: nil, headSHA: sha, baseSHA: sha, createdAt: now, updatedAt: now,
                                         closedAt: nil, mergedAt: nil)
            p.pulls[pr.number] = pr
            numbers.append(pr.number)
        }
        save(p)
        return numbers
    }

    func pullRequests(project path: String) async throws -> [ForgeSimPullRequest] {
        try await runThrowing { try self.pullRequestsSync(project: path) }
    }

    private func pullRequestsSync(project path: String) throws -> [ForgeSimPullRequest] {
        let p = try project(path)
        return refreshed(p.pulls.values.sorted { $0.number < $1.number }, p)
    }

    func humanMerge(project path: String, number: Int, squash: Bool, by login: String) async throws -> ForgeSimPullRequest {
        try await runThrowing { try self.humanMergeSync(project: path, number: number, squash: squash, by: login) }
    }

    private func humanMergeSync(project path: String, number: Int, squash: Bool, by login: String) throws -> ForgeSimPullRequest {
        var p = try project(path)
        let pr = try mergePullRequest(in: &p, number, squash: squash, by: login)
        save(p)
        return pr
    }

    func humanClose(project path: String, number: Int, by login: String) async throws -> ForgeSimPullRequest {
        try await runThrowing { try self.humanCloseSync(project: path, number: number, by: login) }
    }

    private func humanCloseSync(project path: String, number: Int, by login: String) throws -> ForgeSimPullRequest {
        var p = try project(path)
        let pr = try closePullRequest(in: &p, number, by: login)
        save(p)
        return pr
    }

    /// Sets another CI's status or check run on `ref` (a SHA or a branch); `state` in the flavour's own words.
    func setOtherStatus(project path: String, ref: String, context: String, state: String, conclusion: String?, description: String,
                        targetURL: String?, checkRun: Bool) async throws -> SimCommitStatus {
        try await runThrowing { () throws -> SimCommitStatus in
            var p = try self.project(path)
            let sha = try self.commit(p, ref)
            let s = self.recordStatus(&p, sha: sha, context: context, state: state, conclusion: conclusion, description: description,
                                      targetURL: targetURL, checkRun: checkRun, creator: "other-ci")
            self.save(p)
            return s
        }
    }

    /// Every status and check run on `ref` (a SHA or a branch), oldest first.
    func statuses(project path: String, ref: String) async throws -> [SimCommitStatus] {
        try await runThrowing { () throws -> [SimCommitStatus] in
            let p = try self.project(path)
            let sha = try self.commit(p, ref)
            return p.statuses.filter { $0.sha == sha }
        }
    }

    func addComment(in p: inout SimProject, _ number: Int, body: String) throws(SimHTTPError) -> ForgeSimComment {
        var pr = try pull(p, number)
        p.nextCommentID += 1
        let c = ForgeSimComment(id: 5000 + p.nextCommentID, body: body, createdAt: Self.now())
        pr.comments.append(c)
        p.pulls[number] = pr
        return c
    }

    func defineLabels(project path: String, names: [String]) async throws {
        try await runThrowing { try self.defineLabelsSync(project: path, names: names) }
    }

    private func defineLabelsSync(project path: String, names: [String]) throws {
        var p = try project(path)
        for n in names where !p.labels.contains(where: { $0.name == n }) {
            p.labels.append(SimLabel(id: p.labels.count + 1, name: n))
        }
        save(p)
    }
}

/// A project: its repository, pull requests and labels.
struct SimProject: Sendable {
    var id: Int
    var path: String
    var repo: BareRepository
    var pulls: [Int: ForgeSimPullRequest] = [:]
    var nextNumber = 0
    var nextCommentID = 0
    /// Commit statuses and check runs, oldest first.
    var statuses: [SimCommitStatus] = []
    var nextStatusID = 0
    var labels: [SimLabel] = [SimLabel(id: 1, name: "promotion"), SimLabel(id: 2, name: "bug"), SimLabel(id: 3, name: "enhancement")]

    var owner: String { path.split(separator: "/").dropLast().joined(separator: "/") }
    var name: String { path.split(separator: "/").last.map(String.init) ?? path }

    func label(_ name: String) -> SimLabel? { labels.first { $0.name == name } }
}

/// A repository label.
struct SimLabel: Sendable, Hashable {
    var id: Int
    var name: String
}

extension ForgeSimConfiguration {
    /// `http://host:port` once the port is known (the server fills it in).
    var origin: String { "http://\(host):\(port)" }
}
