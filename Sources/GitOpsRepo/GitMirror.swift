public import Foundation
import Git2
import Logging
public import Promotion

/// The `GitOpsRepository` of one remote repository: a bare mirror in the cache (cloned once, then fetched), commits
/// built in memory on a branch tip and pushed with per-reference status checks, stale pushes re-planned and retried.
///
/// Every libgit2 call runs on the mirror's own worker thread, so a `GitMirror` can be used from any task.
public final class GitMirror: GitOpsRepository {
    public let config: GitRepositoryConfig
    /// The mirror's directory in the cache.
    public let mirrorPath: String
    private let worker: GitWorker
    private let environment: [String: String]
    private let identity: String
    private var logger: Logger { config.logger }

    /// A mirror for `config`. `environment` supplies the credential variables (defaults to the process's).
    public init(config: GitRepositoryConfig, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.config = config
        self.environment = environment
        self.identity = MirrorLocation.identity(of: config.url)
        let cache = config.cacheDirectory ?? GitRepositoryConfig.defaultCacheDirectory(environment: environment)
        do {
            try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        } catch {
            throw GitOpsError(.cache, "cannot create the git cache directory \(cache): \(error.localizedDescription)")
        }
        self.mirrorPath = (cache as NSString).appendingPathComponent(MirrorLocation.directoryName(for: config.url))
        self.worker = GitWorker.forMirror(at: mirrorPath)
    }

    /// The URL without credentials, as printed in messages.
    public var displayURL: String { Redaction.redact(config.url) }

    // MARK: GitOpsRepository

    public func fetch() async throws {
        try await worker.run { [self] state in
            _ = try openOrClone(state, fetchExisting: true)
        }
    }

    public func snapshot(of branch: String) async throws -> (any RepositorySnapshot)? {
        try await worker.run { [self] state -> MirrorSnapshot? in
            let repo = try openOrClone(state, fetchExisting: false)
            guard let tip = try Self.translate({ try repo.reference(Self.ref(branch)) }) else { return nil }
            let tree = try Self.translate { try repo.commit(tip).tree }
            return MirrorSnapshot(commitID: tip, tree: tree, worker: worker, open: { [self] in try openOrClone($0, fetchExisting: false) })
        }
    }

    public func snapshot(commit id: String) async throws -> (any RepositorySnapshot)? {
        guard let oid = ObjectID(hex: id) else { return nil }
        return try await worker.run { [self] state -> MirrorSnapshot? in
            let repo = try openOrClone(state, fetchExisting: false)
            guard let tree = try? Self.translate({ try repo.commit(oid).tree }) else { return nil }
            return MirrorSnapshot(commitID: oid, tree: tree, worker: worker, open: { [self] in try openOrClone($0, fetchExisting: false) })
        }
    }

    public func update(
        branch: String, base: String?, policy: PushPolicy,
        plan: @Sendable (any RepositorySnapshot) throws -> CommitRequest?
    ) async throws -> UpdateOutcome {
        try await withoutActuallyEscaping(plan) { plan in
            let transfer = PlanTransfer(plan)
            var attempt = 0
            while true {
                attempt += 1
                let current = attempt
                let step = try await worker.run { [self] state in
                    try attemptUpdate(state, branch: branch, base: base ?? branch, policy: policy, plan: transfer.plan, attempt: current)
                }
                switch step {
                case let .done(outcome):
                    return outcome
                case let .stale(reason):
                    guard attempt < max(1, config.maxPushAttempts) else {
                        throw GitOpsError(.stale, "gave up pushing \(branch) to \(displayURL) after \(attempt) attempts: the branch kept moving (\(reason))")
                    }
                    logger.info("push of \(branch) to \(displayURL) was stale (\(reason)); fetching and re-planning", metadata: ["attempt": "\(attempt)"])
                    try await Task.sleep(for: Self.backoff(attempt: attempt))
                    try await fetch()
                }
            }
        }
    }

    public func deleteBranch(_ branch: String, expectedTip: String?) async throws {
        try await worker.run { [self] state in
            let repo = try openOrClone(state, fetchExisting: false)
            var leases: [String: ObjectID?] = [:]
            if let expectedTip {
                guard let id = ObjectID(hex: expectedTip) else {
                    throw GitOpsError(.git, "'\(expectedTip)' is not a commit id")
                }
                leases[Self.ref(branch)] = id
            }
            let report = try Self.translate {
                try repo.push(url: config.url, refspecs: [":" + Self.ref(branch)], leases: leases, options: try remoteOptions())
            }
            for (ref, status) in report.statuses {
                guard let status else { continue }
                let lower = status.lowercased()
                if lower.contains("does not exist") || lower.contains("non-existent") { continue }
                throw GitOpsError(StaleStatus.isStale(status) ? .stale : .rejected, "\(displayURL) refused to delete \(ref): \(status)")
            }
            try? repo.deleteReference(Self.ref(branch))
        }
    }

    public func history(of branch: String, touching path: String?, limit: Int) async throws -> [CommitInfo] {
        try await worker.run { [self] state in
            let repo = try openOrClone(state, fetchExisting: false)
            guard let tip = try Self.translate({ try repo.reference(Self.ref(branch)) }) else {
                throw GitOpsError(.notFound, "branch \(branch) does not exist in \(displayURL)")
            }
            var out: [CommitInfo] = []
            guard limit > 0 else { return out }
            try Self.translate {
                try repo.walk(from: tip) { commit in
                    if let path {
                        let here = try repo.entry(inTree: commit.tree, path: path)?.id
                        let before = try commit.parents.first.map { try repo.entry(inTree: try repo.commit($0).tree, path: path)?.id } ?? nil
                        if here == before { return true }
                    }
                    out.append(CommitInfo(
                        id: commit.id.hex, parents: commit.parents.map(\.hex), message: commit.message,
                        authorName: commit.author.name, authorEmail: commit.author.email,
                        time: commit.author.time ?? Date(timeIntervalSince1970: 0)))
                    return out.count < limit
                }
            }
            return out
        }
    }

    // MARK: reads for the reconciler

    /// The tip of `branch` as of the last fetch (nil: no such branch).
    public func tip(of branch: String) async throws -> String? {
        try await worker.run { [self] state in
            let repo = try openOrClone(state, fetchExisting: false)
            return try Self.translate { try repo.reference(Self.ref(branch)) }?.hex
        }
    }

    /// The content of the regular file `path` at `ref` (a branch name, a full `refs/...` name or a commit id), or
    /// nil when there is no such file. A symlink, submodule or directory at `path` is an `.unsafePath` error.
    public func readFile(_ path: String, at ref: String) async throws -> Data? {
        try await worker.run { [self] state in
            let repo = try openOrClone(state, fetchExisting: false)
            let commit: ObjectID?
            if let id = ObjectID(hex: ref) { commit = id } else {
                commit = try Self.translate { try repo.reference(ref.hasPrefix("refs/") ? ref : Self.ref(ref)) }
            }
            guard let commit else { throw GitOpsError(.notFound, "\(ref) does not exist in \(displayURL)") }
            let tree = try Self.translate { try repo.commit(commit).tree }
            guard let item = try Self.translate({ try repo.entry(inTree: tree, path: path) }) else { return nil }
            switch item.kind {
            case .file, .executable: return try Self.translate { try repo.blob(item.id) }
            case .symlink: throw GitOpsError(.unsafePath, "'\(path)' is a symbolic link in \(displayURL)")
            case .submodule: throw GitOpsError(.unsafePath, "'\(path)' is a submodule in \(displayURL)")
            case .directory: throw GitOpsError(.unsafePath, "'\(path)' is a directory in \(displayURL)")
            }
        }
    }

    /// The branches and tags the remote advertises (ls-remote), name -> commit id.
    public func listRemote() async throws -> [String: String] {
        try await worker.run { [self] _ in
            let heads = try Self.translate { try RemoteListing.list(url: config.url, options: try remoteOptions()) }
            var out: [String: String] = [:]
            for head in heads where head.name.hasPrefix("refs/") { out[head.name] = head.id.hex }
            return out
        }
    }

    // MARK: internals (worker thread)

    enum Step: Sendable {
        case done(UpdateOutcome)
        case stale(String)
    }

    private func attemptUpdate(
        _ state: WorkerState, branch: String, base: String, policy: PushPolicy,
        plan: @Sendable (any RepositorySnapshot) throws -> CommitRequest?, attempt: Int
    ) throws -> Step {
        let repo = try openOrClone(state, fetchExisting: false)
        let branchRef = Self.ref(branch)
        let baseTip = try Self.translate { try repo.reference(Self.ref(base)) }
        let branchTip = base == branch ? baseTip : try Self.translate { try repo.reference(branchRef) }
        if policy == .fastForwardOnly, base != branch, let branchTip, branchTip != baseTip {
            let ahead = try baseTip.map { tip in try Self.translate { try repo.isDescendant(tip, of: branchTip) } } ?? false
            if !ahead {
                throw GitOpsError(
                    .rejected,
                    "cannot update \(branch) from \(base) in \(displayURL) without a force push: \(branch) has commits \(base) does not have")
            }
        }
        let baseTree = try baseTip.map { tip in try Self.translate { try repo.commit(tip).tree } }
        let snapshot = MirrorSnapshot(commitID: baseTip, tree: baseTree, worker: worker, open: { [self] in try openOrClone($0, fetchExisting: false) })
        guard let request = try plan(snapshot) else {
            return .done(.unchanged(tip: (branchTip ?? baseTip)?.hex ?? ""))
        }
        var updates: [TreeUpdate] = []
        for path in request.changes.keys.sorted() {
            try PathRules.checkWritable(path, in: baseTree, repository: repo)
            if let content = request.changes[path] ?? nil {
                let blob = try Self.translate { try repo.createBlob(content) }
                var executable = false
                if let baseTree {
                    executable = try Self.translate { try repo.entry(inTree: baseTree, path: path) }?.kind == .executable
                }
                updates.append(.upsert(path: path, blob: blob, executable: executable))
            } else {
                updates.append(.remove(path: path))
            }
        }
        let tree = try Self.translate { try repo.updatedTree(base: baseTree, updates: updates) }
        if tree == baseTree, base == branch || branchTip == baseTip {
            return .done(.unchanged(tip: (branchTip ?? baseTip)?.hex ?? ""))
        }
        if let branchTip, base != branch {
            // The bot's branch may already hold exactly this change on this base.
            let existing = try Self.translate { try repo.commit(branchTip) }
            if existing.tree == tree, existing.parents == (baseTip.map { [$0] } ?? []) {
                return .done(.unchanged(tip: branchTip.hex))
            }
        }
        let author = GitPerson(name: request.author.name, email: request.author.email)
        let committer = GitPerson(name: config.committer.name, email: config.committer.email)
        let commit = try Self.translate {
            try repo.createCommit(tree: tree, parents: baseTip.map { [$0] } ?? [], message: request.message, author: author, committer: committer)
        }
        let outgoing = "refs/promote/outgoing/\(branch)"
        try Self.translate { try repo.setReference(outgoing, to: commit, expected: .any) }
        defer { try? repo.deleteReference(outgoing) }
        let force = policy == .forceWithLease ? "+" : ""
        let report: PushReport
        let pushStart = DispatchTime.now().uptimeNanoseconds
        do {
            report = try repo.push(
                url: config.url, refspecs: ["\(force)\(outgoing):\(branchRef)"], leases: [branchRef: branchTip],
                options: try remoteOptions())
        } catch let error as GitError where error.kind == .stale || error.kind == .nonFastForward {
            return .stale(error.message)
        } catch let error as GitError {
            throw Self.convert(error)
        }
        if report.succeeded {
            try? repo.setReference(branchRef, to: commit, expected: branchTip.map { .at($0) } ?? .absent)
            let pushMilliseconds = (DispatchTime.now().uptimeNanoseconds - pushStart) / 1_000_000
            logger.info(
                "pushed \(commit.hex) to \(branch) at \(displayURL)",
                metadata: ["attempt": "\(attempt)", "push_ms": "\(pushMilliseconds)"])
            return .done(.pushed(commit: commit.hex, previousTip: branchTip?.hex, attempts: attempt))
        }
        let reasons = report.rejections
        if reasons.isEmpty {
            throw GitOpsError(.rejected, "\(displayURL) did not confirm the update of \(branch)")
        }
        let reason = reasons.map { "\($0.key): \($0.value)" }.sorted().joined(separator: "; ")
        if reasons.values.allSatisfy(StaleStatus.isStale) { return .stale(reason) }
        let remoteSaid = report.serverMessages.joined().trimmingCharacters(in: .whitespacesAndNewlines)
        throw GitOpsError(
            .rejected,
            "\(displayURL) rejected the push to \(branch): \(reason)" + (remoteSaid.isEmpty ? "" : " (remote: \(Redaction.redact(remoteSaid)))"))
    }

    /// Opens the mirror (validating it) or clones it; fetches when `fetchExisting` (a fresh clone is already
    /// current). A corrupt or foreign mirror is moved aside and re-cloned.
    private func openOrClone(_ state: WorkerState, fetchExisting: Bool) throws -> Repository {
        if let repo = state.repository {
            if fetchExisting { try fetchOrRebuild(state, repo) }
            return state.repository!
        }
        if FileManager.default.fileExists(atPath: mirrorPath) {
            if let repo = validMirror() {
                state.repository = repo
                if fetchExisting { try fetchOrRebuild(state, repo) }
                return state.repository!
            }
            logger.warning("the git cache \(mirrorPath) is corrupt or not a mirror of \(displayURL); cloning again")
        }
        return try reclone(state)
    }

    private func fetchOrRebuild(_ state: WorkerState, _ repo: Repository) throws {
        do {
            try fetchInto(repo)
        } catch let error as GitError where error.kind == .other || error.kind == .notFound {
            // Not a transport problem: the local mirror is damaged (missing or corrupt objects, broken refs).
            logger.warning("fetch into \(mirrorPath) failed (\(error.message)); cloning again")
            _ = try reclone(state)
        } catch let error as GitError {
            throw Self.convert(error)
        }
    }

    private func fetchInto(_ repo: Repository) throws {
        try repo.fetch(url: config.url, refspecs: ["+refs/heads/*:refs/heads/*"], prune: true, options: try remoteOptions())
    }

    private func validMirror() -> Repository? {
        guard let repo = try? Repository.openBare(at: mirrorPath),
            (try? repo.configString("promote.mirrorof")) == identity,
            let heads = try? repo.references(matching: "refs/heads/*")
        else { return nil }
        do { _ = try repo.reference("HEAD") } catch { return nil }  // a HEAD git itself would refuse
        for head in heads {
            guard let commit = try? repo.commit(head.id), (try? repo.list(tree: commit.tree)) != nil else { return nil }
        }
        return repo
    }

    private func reclone(_ state: WorkerState) throws -> Repository {
        state.repository = nil
        let fm = FileManager.default
        let temporary = mirrorPath + ".clone-\(UUID().uuidString.prefix(8))"
        defer { try? fm.removeItem(atPath: temporary) }
        do {
            let repo = try Repository.initBare(at: temporary)
            try repo.setConfig("promote.mirrorof", identity)
            try fetchInto(repo)
        } catch let error as GitError {
            throw Self.convert(error)
        }
        if fm.fileExists(atPath: mirrorPath) {
            let aside = mirrorPath + ".old-\(UUID().uuidString.prefix(8))"
            do { try fm.moveItem(atPath: mirrorPath, toPath: aside) } catch {
                throw GitOpsError(.cache, "cannot move the old mirror \(mirrorPath) aside: \(error.localizedDescription)")
            }
            try? fm.removeItem(atPath: aside)
        }
        do { try fm.moveItem(atPath: temporary, toPath: mirrorPath) } catch {
            throw GitOpsError(.cache, "cannot install the new mirror at \(mirrorPath): \(error.localizedDescription)")
        }
        let repo = try Self.translate { try Repository.openBare(at: mirrorPath) }
        state.repository = repo
        logger.info("cloned \(displayURL) into \(mirrorPath)")
        return repo
    }

    private func remoteOptions() throws -> RemoteOptions {
        let credentials: RemoteCredentials
        var hostKey = HostKeyPolicy.refuse
        switch config.credentials {
        case .none:
            credentials = .none
        case let .https(userEnv, passwordEnv):
            guard let user = environment[userEnv], !user.isEmpty else {
                throw GitOpsError(.authentication, "the environment variable \(userEnv) (git user for \(displayURL)) is not set")
            }
            guard let password = environment[passwordEnv], !password.isEmpty else {
                throw GitOpsError(.authentication, "the environment variable \(passwordEnv) (git token for \(displayURL)) is not set")
            }
            try PlainHTTPGuard.check(config.url, shownAs: displayURL)
            credentials = .userPassword(username: user, password: password)
        case let .ssh(ssh):
            guard FileManager.default.isReadableFile(atPath: ssh.keyFile) else {
                throw GitOpsError(.authentication, "the SSH key file \(ssh.keyFile) cannot be read")
            }
            let publicKey = ssh.publicKeyFile ?? (FileManager.default.fileExists(atPath: ssh.keyFile + ".pub") ? ssh.keyFile + ".pub" : nil)
            var passphrase: String?
            if let env = ssh.passphraseEnv {
                guard let value = environment[env] else {
                    throw GitOpsError(.authentication, "the environment variable \(env) (SSH key passphrase) is not set")
                }
                passphrase = value
            }
            credentials = .sshKey(username: ssh.user, privateKeyFile: ssh.keyFile, publicKeyFile: publicKey, passphrase: passphrase)
            if !ssh.hostKeyFingerprints.isEmpty {
                hostKey = .fingerprints(ssh.hostKeyFingerprints)
            } else {
                let home = environment["HOME"] ?? NSHomeDirectory()
                hostKey = .knownHostsFile(ssh.knownHostsFile ?? home + "/.ssh/known_hosts")
            }
        }
        var progress: (@Sendable (TransferProgress) -> Void)?
        if let report = config.progress {
            let transfer = GitTransfer.nextTransfer()
            progress = { p in
                report(GitTransfer(
                    phase: p.isPush ? .pushing : .receiving, objects: p.receivedObjects, totalObjects: p.totalObjects,
                    bytes: p.bytes, transfer: transfer))
            }
        }
        return RemoteOptions(
            credentials: credentials, hostKey: hostKey, pinnedCertificateFiles: config.trustedCertificateFiles,
            timeouts: NetworkTimeouts(connect: config.timeouts.connect, idle: config.timeouts.idle),
            maxAuthAttempts: 1, progress: progress)
    }

    // MARK: helpers

    static func ref(_ branch: String) -> String {
        branch.hasPrefix("refs/") ? branch : "refs/heads/\(branch)"
    }

    /// Jittered exponential backoff: 50-100% of min(2 s, 100 ms * 2^(attempt-1)).
    static func backoff(attempt: Int) -> Duration {
        let ceiling = min(2000.0, 100.0 * pow(2.0, Double(attempt - 1)))
        return .milliseconds(Int(ceiling * Double.random(in: 0.5...1.0)))
    }

    /// Runs a libgit2 call and converts its `GitError` into a `GitOpsError`.
    static func translate<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as GitError { throw convert(error) }
    }

    static func convert(_ error: GitError) -> GitOpsError {
        let kind: GitOpsError.Kind
        switch error.kind {
        case .authentication: kind = .authentication
        case .certificate: kind = .hostVerification
        case .timeout: kind = .timeout
        case .network: kind = .network
        case .notFound: kind = .notFound
        case .stale, .nonFastForward: kind = .stale
        case .other: kind = .git
        }
        return GitOpsError(kind, error.message)
    }
}

/// Carries the non-escaping plan closure into worker jobs (it is only called while `update` awaits them).
private struct PlanTransfer: @unchecked Sendable {
    let plan: @Sendable (any RepositorySnapshot) throws -> CommitRequest?
    init(_ plan: @escaping @Sendable (any RepositorySnapshot) throws -> CommitRequest?) { self.plan = plan }
}
