import Foundation
import Testing
import TestSupport
import Promotion
@testable import GitOpsRepo

@Suite(.serialized) struct GitMirrorTests {
    @Test func clonesOnceThenEditsCommitsAndPushesOverSmartHTTP() async throws {
        let scratch = try GitScratch("mirror-http")
        defer { scratch.remove() }
        let fixtures = GitFixtures(root: scratch.sub("srv"))
        let upstream = try fixtures.bare("ops.git", files: [
            "environments/staging/jukebox.yaml": "# staging\nversion: 1.0.0 # keep\n", "README.md": "ops\n",
        ])
        let server = try GitHTTPServer(root: fixtures.root, user: Kit.user, password: Kit.password)
        defer { server.stop() }
        let progress = ProgressLog()
        var config = Kit.config(server.url("ops.git"), cache: scratch.sub("cache"), credentials: Kit.https)
        config.progress = { progress.append($0) }
        let mirror = try GitMirror(config: config, environment: Kit.env)
        try await mirror.fetch()
        #expect(!mirror.mirrorPath.contains(Kit.password))
        let received = try #require(progress.items.last { $0.phase == .receiving })
        #expect(received.totalObjects > 0 && received.objects == received.totalObjects && received.bytes > 0)
        let snapshot = try #require(try await mirror.snapshot(of: "main"))
        #expect(try snapshot.list(directory: "") == ["README.md", "environments"])
        #expect(try snapshot.entry(at: "environments/staging") == .directory)

        let path = "environments/staging/jukebox.yaml"
        let outcome = try await mirror.update(branch: "main", base: nil, policy: .fastForwardOnly, plan: Kit.setting(path, to: "# staging\nversion: 1.4.2 # keep\n", version: "1.4.2"))
        guard case let .pushed(commit, previous, attempts) = outcome else { Issue.record("not pushed: \(outcome)"); return }
        #expect(attempts == 1)
        #expect(previous == snapshot.commit)
        let git = fixtures.git
        #expect(try git.line(["rev-parse", "main"], in: upstream) == commit)
        try git.run(["fsck", "--strict"], in: upstream)
        #expect(try git.line(["diff", "--stat", "main~1", "main"], in: upstream).contains("1 file changed, 1 insertion(+), 1 deletion(-)"))
        #expect(try git.line(["log", "-1", "--format=%an <%ae>|%cn|%(trailers:key=Promote-Version,valueonly)", "main"], in: upstream)
            == "promote-bot <bot@example.com>|promote-bot|1.4.2")
        #expect(try git.run(["show", "main:\(path)"], in: upstream) == "# staging\nversion: 1.4.2 # keep\n")
        #expect(try await mirror.tip(of: "main") == commit)
        #expect(try await mirror.readFile(path, at: "main") == Data("# staging\nversion: 1.4.2 # keep\n".utf8))

        // The same plan again changes nothing; history finds the bot's commit by path.
        let again = try await mirror.update(branch: "main", base: nil, policy: .fastForwardOnly, plan: Kit.setting(path, to: "# staging\nversion: 1.4.2 # keep\n"))
        #expect(again == .unchanged(tip: commit))
        let history = try await mirror.history(of: "main", touching: path, limit: 10)
        #expect(history.map(\.id) == [commit, snapshot.commit])
        #expect(history.first?.message.contains("Promote-Model: jukebox") == true)
        #expect(try await mirror.history(of: "main", touching: "README.md", limit: 10).map(\.id) == [snapshot.commit])
    }

    @Test func anotherWriterRacesTheBotAndNothingIsLost() async throws {
        let scratch = try GitScratch("mirror-race")
        defer { scratch.remove() }
        let fixtures = GitFixtures(root: scratch.sub("srv"))
        let upstream = try fixtures.bare("ops.git", files: ["env/staging.yaml": "version: 0\n", "foreign.txt": "start\n"])
        // Record every update of main on the server, to check it only ever fast-forwards.
        let log = scratch.sub("updates.log")
        try fixtures.installHook("update", in: upstream, script: "#!/bin/sh\necho \"$1 $2 $3\" >> \(log)\nexit 0\n")
        let server = try GitHTTPServer(root: fixtures.root, user: Kit.user, password: Kit.password)
        defer { server.stop() }
        let url = server.url("ops.git", user: Kit.user, password: Kit.password)
        let work = try fixtures.clone(url, "writer")

        let edits = 6, foreignPushes = 10
        let writer = Thread {
            for i in 0..<foreignPushes {
                do {
                    try fixtures.write("start\n" + (0...i).map { "foreign \($0)\n" }.joined(), to: work + "/foreign.txt")
                    try fixtures.git.run(["commit", "-qam", "foreign \(i)"], in: work)
                    for _ in 0..<30 {
                        if (try? fixtures.git.run(["push", "-q", "origin", "HEAD:main"], in: work)) != nil { break }
                        try fixtures.git.run(["pull", "-q", "--rebase", "origin", "main"], in: work)
                    }
                } catch {
                    try? "writer failed: \(error)\n".write(toFile: work + "/../writer-error.txt", atomically: true, encoding: .utf8)
                    return
                }
                usleep(30_000)
            }
        }
        let mirror = try GitMirror(config: Kit.config(server.url("ops.git"), cache: scratch.sub("cache"), credentials: Kit.https), environment: Kit.env)
        try await mirror.fetch()
        writer.start()
        // Start once the writer has pushed, and never fetch by hand: every foreign push makes the bot's view stale.
        while !FileManager.default.fileExists(atPath: log) { try await Task.sleep(for: .milliseconds(10)) }
        var pushed: [String] = []
        for i in 1...edits {
            let outcome = try await mirror.update(branch: "main", base: nil, policy: .fastForwardOnly, plan: Kit.setting("bot/edit-\(i).txt", to: "edit \(i)\n"))
            guard case let .pushed(commit, _, _) = outcome else { Issue.record("edit \(i): \(outcome)"); continue }
            pushed.append(commit)
        }
        while writer.isExecuting || !writer.isFinished { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!FileManager.default.fileExists(atPath: scratch.sub("srv/writer-error.txt")))
        let git = fixtures.git
        try git.run(["fsck", "--strict"], in: upstream)
        // Every bot edit landed and every bot commit is in main.
        for i in 1...edits {
            #expect(try git.run(["show", "main:bot/edit-\(i).txt"], in: upstream) == "edit \(i)\n")
        }
        for commit in pushed { try git.run(["merge-base", "--is-ancestor", commit, "main"], in: upstream) }
        // No foreign commit was lost.
        let subjects = try git.run(["log", "--format=%s", "main"], in: upstream)
        for i in 0..<foreignPushes { #expect(subjects.contains("foreign \(i)\n")) }
        #expect(try git.run(["show", "main:foreign.txt"], in: upstream).contains("foreign \(foreignPushes - 1)"))
        // main only ever fast-forwarded.
        let updates = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(updates.count >= edits + foreignPushes)
        for update in updates {
            let f = update.split(separator: " ").map(String.init)
            try git.run(["merge-base", "--is-ancestor", f[1], f[2]], in: upstream)
        }
    }

    @Test func concurrentUpdatesOfOneRepositoryAreSerialised() async throws {
        let scratch = try GitScratch("mirror-serial")
        defer { scratch.remove() }
        let fixtures = GitFixtures(root: scratch.sub("srv"))
        let upstream = try fixtures.bare("ops.git", files: ["a": "a\n"])
        let server = try GitHTTPServer(root: fixtures.root, user: Kit.user, password: Kit.password)
        defer { server.stop() }
        let config = Kit.config(server.url("ops.git"), cache: scratch.sub("cache"), credentials: Kit.https)
        let mirror = try GitMirror(config: config, environment: Kit.env)
        let twin = try GitMirror(config: config, environment: Kit.env)  // same cache entry: same worker
        try await mirror.fetch()
        let outcomes = try await withThrowingTaskGroup(of: UpdateOutcome.self) { group in
            for i in 0..<6 {
                let target = i.isMultiple(of: 2) ? mirror : twin
                group.addTask { try await target.update(branch: "main", base: nil, policy: .fastForwardOnly, plan: Kit.setting("f\(i)", to: "\(i)\n")) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        // Each update built on the previous one's pushed tip: no stale push, no retry.
        #expect(outcomes.allSatisfy { if case .pushed(_, _, 1) = $0 { true } else { false } })
        #expect(try fixtures.git.line(["rev-list", "--count", "main"], in: upstream) == "7")
    }

    @Test(arguments: [
        ("link.yaml", "is a symbolic link"),
        ("linkdir/x.yaml", "is a symbolic link"),
        ("vendor/lib", "is a submodule"),
        ("vendor/lib/x.yaml", "is a submodule"),
        ("real.yaml/x", "is a file"),
        ("dir", "is a directory"),
        ("../escape.yaml", "not allowed"),
        (".git/config", "not allowed"),
        ("/abs.yaml", "not a relative path"),
    ])
    func refusesSymlinksSubmodulesAndBadPaths(path: String, reason: String) async throws {
        let scratch = try GitScratch("mirror-unsafe")
        defer { scratch.remove() }
        let fixtures = GitFixtures(root: scratch.path)
        let upstream = try fixtures.bare(
            "ops.git", files: ["real.yaml": "v: 1\n", "dir/inner.yaml": "v: 1\n"],
            symlinks: ["link.yaml": "real.yaml", "linkdir": "/etc"],
            submodules: ["vendor/lib": "0123456789abcdef0123456789abcdef01234567"])
        let before = try fixtures.git.line(["rev-parse", "main"], in: upstream)
        let mirror = try GitMirror(config: Kit.config("file://\(upstream)", cache: scratch.sub("cache")), environment: Kit.env)
        try await mirror.fetch()
        let error = await #expect(throws: GitOpsError.self) {
            try await mirror.update(branch: "main", base: nil, policy: .fastForwardOnly, plan: Kit.setting(path, to: "v: 2\n"))
        }
        #expect(error?.kind == .unsafePath)
        #expect(error?.message.contains(reason) == true, "\(String(describing: error))")
        #expect(try fixtures.git.line(["rev-parse", "main"], in: upstream) == before)
        // Reading a symlink reports it as such.
        let snapshot = try #require(try await mirror.snapshot(of: "main"))
        #expect(try snapshot.entry(at: "link.yaml") == .symlink(target: "real.yaml"))
        #expect(try snapshot.entry(at: "vendor/lib") == .submodule)
    }

    @Test func emptyRepositoryGetsItsFirstCommitAndMissingBranchesAreNil() async throws {
        let scratch = try GitScratch("mirror-empty")
        defer { scratch.remove() }
        let fixtures = GitFixtures(root: scratch.sub("srv"))
        let upstream = try fixtures.emptyBare("empty.git")
        let server = try GitHTTPServer(root: fixtures.root, user: Kit.user, password: Kit.password)
        defer { server.stop() }
        let mirror = try GitMirror(config: Kit.config(server.url("empty.git"), cache: scratch.sub("cache"), credentials: Kit.https), environment: Kit.env)
        try await mirror.fetch()
        #expect(try await mirror.snapshot(of: "main") == nil)
        #expect(try await mirror.tip(of: "main") == nil)
        let missing = await #expect(throws: GitOpsError.self) { try await mirror.history(of: "main", touching: nil, limit: 5) }
        #expect(missing?.kind == .notFound)
        let notThere = await #expect(throws: GitOpsError.self) { try await mirror.readFile("x", at: "nope") }
        #expect(notThere?.kind == .notFound)

        let outcome = try await mirror.update(branch: "main", base: nil, policy: .fastForwardOnly, plan: Kit.setting("environments/staging/m.yaml", to: "v: 1\n"))
        guard case let .pushed(commit, previous, _) = outcome else { Issue.record("\(outcome)"); return }
        #expect(previous == nil)
        #expect(try fixtures.git.line(["rev-parse", "main"], in: upstream) == commit)
        #expect(try fixtures.git.line(["rev-list", "--count", "main"], in: upstream) == "1")
        try fixtures.git.run(["fsck", "--strict"], in: upstream)
        #expect(try await mirror.snapshot(of: "other") == nil)
        #expect(try await mirror.readFile("nothing/here.yaml", at: "main") == nil)
    }

    /// A process killed in the middle of a push leaves libgit2's lock files in the mirror; the next process's
    /// writes must not fail on them ("failed to lock file … for writing").
    @Test func lockFilesLeftByAKilledProcessAreRemovedBeforeTheNextWrite() async throws {
        let scratch = try GitScratch("mirror-stale-locks")
        defer { scratch.remove() }
        let fixtures = GitFixtures(root: scratch.sub("srv"))
        let upstream = try fixtures.bare("ops.git", files: ["environments/staging/m.yaml": "v: 1\n"])
        let server = try GitHTTPServer(root: fixtures.root, user: Kit.user, password: Kit.password)
        defer { server.stop() }
        let mirror = try GitMirror(config: Kit.config(server.url("ops.git"), cache: scratch.sub("cache"), credentials: Kit.https), environment: Kit.env)
        try await mirror.fetch()
        let stale = ["refs/promote/outgoing/promote/production/m.lock", "refs/heads/main.lock", "packed-refs.lock", "HEAD.lock"]
        for name in stale {
            let path = mirror.mirrorPath + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: path, contents: Data("dead\n".utf8)))
        }
        let outcome = try await mirror.update(
            branch: "promote/production/m", base: "main", policy: .forceWithLease, plan: Kit.setting("environments/staging/m.yaml", to: "v: 2\n"))
        guard case .pushed(let commit, _, _) = outcome else { Issue.record("\(outcome)"); return }
        #expect(try fixtures.git.line(["rev-parse", "promote/production/m"], in: upstream) == commit)
        #expect(stale.allSatisfy { !FileManager.default.fileExists(atPath: mirror.mirrorPath + "/" + $0) })
    }

    @Test func wrongPasswordFailsFastWithoutTheSecret() async throws {
        let scratch = try GitScratch("mirror-auth")
        defer { scratch.remove() }
        let fixtures = GitFixtures(root: scratch.sub("srv"))
        try fixtures.bare("ops.git", files: ["a": "a\n"])
        let server = try GitHTTPServer(root: fixtures.root, user: Kit.user, password: Kit.password)
        defer { server.stop() }
        var env = Kit.env
        env["PROMOTE_GIT_TOKEN"] = "not-the-t0ken"
        let mirror = try GitMirror(config: Kit.config(server.url("ops.git"), cache: scratch.sub("cache"), credentials: Kit.https), environment: env)
        let error = await #expect(throws: GitOpsError.self) { try await mirror.fetch() }
        #expect(error?.kind == .authentication)
        #expect(error?.message.contains("rejected the configured credentials") == true)
        #expect(error.map { !$0.message.contains("not-the-t0ken") } == true)

        env.removeValue(forKey: "PROMOTE_GIT_TOKEN")
        let unset = try GitMirror(config: Kit.config(server.url("ops.git"), cache: scratch.sub("cache"), credentials: Kit.https), environment: env)
        let missing = await #expect(throws: GitOpsError.self) { try await unset.fetch() }
        #expect(missing?.message.contains("PROMOTE_GIT_TOKEN") == true)
    }

    @Test func hangingServerTimesOut() async throws {
        let scratch = try GitScratch("mirror-hang")
        defer { scratch.remove() }
        let server = try GitHangingServer(lifetime: 60)
        defer { server.stop() }
        let mirror = try GitMirror(
            config: Kit.config("http://127.0.0.1:\(server.port)/ops.git", cache: scratch.sub("cache"), credentials: Kit.https,
                               timeouts: GitTimeouts(connect: .seconds(2), idle: .seconds(1))),
            environment: Kit.env)
        let error = await #expect(throws: GitOpsError.self) { try await mirror.fetch() }
        #expect(error?.kind == .timeout, "\(String(describing: error))")
    }

    @Test func preReceiveRejectionIsReportedNotClaimed() async throws {
        let scratch = try GitScratch("mirror-hook")
        defer { scratch.remove() }
        let fixtures = GitFixtures(root: scratch.sub("srv"))
        let upstream = try fixtures.bare("ops.git", files: ["a": "a\n"])
        try fixtures.installHook("pre-receive", in: upstream, script: "#!/bin/sh\necho 'staging is frozen' >&2\nexit 1\n")
        let before = try fixtures.git.line(["rev-parse", "main"], in: upstream)
        let server = try GitHTTPServer(root: fixtures.root, user: Kit.user, password: Kit.password)
        defer { server.stop() }
        let mirror = try GitMirror(config: Kit.config(server.url("ops.git"), cache: scratch.sub("cache"), credentials: Kit.https), environment: Kit.env)
        try await mirror.fetch()
        let error = await #expect(throws: GitOpsError.self) {
            try await mirror.update(branch: "main", base: nil, policy: .fastForwardOnly, plan: Kit.setting("a", to: "b\n"))
        }
        #expect(error?.kind == .rejected)
        #expect(error?.message.contains("pre-receive hook declined") == true)
        #expect(error?.message.contains("staging is frozen") == true)
        #expect(try fixtures.git.line(["rev-parse", "main"], in: upstream) == before)
        #expect(try await mirror.tip(of: "main") == before)
    }

    enum Damage: String, CaseIterable, Sendable { case garbageHEAD, missingObjects, foreignMirror, notARepository }

    @Test(arguments: Damage.allCases)
    func corruptedCacheIsRecloned(damage: Damage) async throws {
        let scratch = try GitScratch("mirror-corrupt")
        defer { scratch.remove() }
        let fixtures = GitFixtures(root: scratch.path)
        let upstream = try fixtures.bare("ops.git", files: ["a.yaml": "v: 1\n"])
        let mirror = try GitMirror(config: Kit.config("file://\(upstream)", cache: scratch.sub("cache")), environment: Kit.env)
        try await mirror.fetch()
        let path = mirror.mirrorPath
        switch damage {
        case .garbageHEAD:
            try "garbage".write(toFile: path + "/HEAD", atomically: true, encoding: .utf8)
        case .missingObjects:
            try FileManager.default.removeItem(atPath: path + "/objects")
            try FileManager.default.createDirectory(atPath: path + "/objects", withIntermediateDirectories: true)
        case .foreignMirror:
            try fixtures.git.run(["config", "promote.mirrorof", "https://elsewhere.example/other.git"], in: path)
        case .notARepository:
            try FileManager.default.removeItem(atPath: path)
            try "not a repo".write(toFile: path, atomically: true, encoding: .utf8)
        }
        // A new process (a fresh GitMirror on a new worker state) must not trust the cache.
        let fresh = try GitMirror(config: Kit.config("file://\(upstream)", cache: scratch.sub("cache")), environment: Kit.env)
        GitWorker.forMirror(at: fresh.mirrorPath).state.repository = nil
        try await fresh.fetch()
        #expect(try await fresh.readFile("a.yaml", at: "main") == Data("v: 1\n".utf8))
        try fixtures.git.run(["fsck", "--strict"], in: fresh.mirrorPath)
        #expect(try fixtures.git.line(["config", "promote.mirrorof"], in: fresh.mirrorPath) == "file://\(upstream)")
    }

    @Test func botBranchIsForcePushedWithALeaseAndDeleted() async throws {
        let scratch = try GitScratch("mirror-lease")
        defer { scratch.remove() }
        let fixtures = GitFixtures(root: scratch.sub("srv"))
        let upstream = try fixtures.bare("ops.git", files: ["prod/jukebox.yaml": "v: 1\n", "other": "o\n"])
        let server = try GitHTTPServer(root: fixtures.root, user: Kit.user, password: Kit.password)
        defer { server.stop() }
        let mirror = try GitMirror(config: Kit.config(server.url("ops.git"), cache: scratch.sub("cache"), credentials: Kit.https), environment: Kit.env)
        let branch = "promote/production/jukebox"
        let git = fixtures.git
        try await mirror.fetch()
        let first = try await mirror.update(branch: branch, base: "main", policy: .forceWithLease, plan: Kit.setting("prod/jukebox.yaml", to: "v: 2\n"))
        guard case let .pushed(c1, nil, _) = first else { Issue.record("\(first)"); return }
        #expect(try git.line(["rev-parse", branch], in: upstream) == c1)
        #expect(try git.line(["rev-parse", "\(branch)~1"], in: upstream) == (try git.line(["rev-parse", "main"], in: upstream)))
        // Repeating the same request changes nothing.
        #expect(try await mirror.update(branch: branch, base: "main", policy: .forceWithLease, plan: Kit.setting("prod/jukebox.yaml", to: "v: 2\n")) == .unchanged(tip: c1))

        // main moves on: the bot's branch is rebuilt on the new main and force-pushed (not a fast-forward).
        let work = try fixtures.clone(server.url("ops.git", user: Kit.user, password: Kit.password), "w")
        try fixtures.write("o2\n", to: work + "/other")
        try git.run(["commit", "-qam", "people edit main"], in: work)
        try git.run(["push", "-q", "origin", "HEAD:main"], in: work)
        // ...and someone else moved the bot's branch after our fetch: the lease catches it, we re-plan and retry.
        try await mirror.fetch()
        try git.run(["push", "-q", "origin", "HEAD:refs/heads/\(branch)", "--force"], in: work)
        let second = try await mirror.update(branch: branch, base: "main", policy: .forceWithLease, plan: Kit.setting("prod/jukebox.yaml", to: "v: 3\n"))
        guard case let .pushed(c2, _, attempts) = second else { Issue.record("\(second)"); return }
        #expect(attempts == 2)
        #expect(try git.line(["rev-parse", branch], in: upstream) == c2)
        #expect(try git.line(["rev-parse", "\(branch)~1"], in: upstream) == (try git.line(["rev-parse", "main"], in: upstream)))
        #expect(try git.run(["show", "\(branch):other"], in: upstream) == "o2\n")

        // Deleting with a stale expected tip is refused; with the right one it goes.
        let stale = await #expect(throws: GitOpsError.self) { try await mirror.deleteBranch(branch, expectedTip: c1) }
        #expect(stale?.kind == .stale)
        try await mirror.deleteBranch(branch, expectedTip: c2)
        #expect(throws: GitCommandError.self) { try git.run(["rev-parse", "--verify", "-q", "refs/heads/\(branch)"], in: upstream) }
        #expect(try await mirror.tip(of: branch) == nil)
    }

    @Test(.enabled(if: getuid() == 0, "sshd on a loopback port needs root"))
    func pushesOverSSHAndGitDaemon() async throws {
        let scratch = try GitScratch("mirror-transports")
        defer { scratch.remove() }
        let fixtures = GitFixtures(root: scratch.sub("srv"))
        let upstream = try fixtures.bare("ops.git", files: ["a": "a\n"])
        let sshd = try GitSSHServer(directory: scratch.sub("sshd"))
        defer { sshd.stop() }
        let daemon = try GitDaemonServer(root: fixtures.root)
        defer { daemon.stop() }
        let ssh = GitCredentials.ssh(SSHCredentials(user: sshd.user, keyFile: sshd.clientKey, knownHostsFile: sshd.knownHosts))
        let pinned = GitCredentials.ssh(SSHCredentials(user: sshd.user, keyFile: sshd.clientKey, hostKeyFingerprints: [sshd.hostFingerprint]))
        let targets: [(String, GitCredentials)] = [(sshd.url(upstream), ssh), (sshd.url(upstream), pinned), (daemon.url("ops.git"), .none), ("file://\(upstream)", .none)]
        for (i, (url, credentials)) in targets.enumerated() {
            let mirror = try GitMirror(config: Kit.config(url, cache: scratch.sub("cache-\(i)"), credentials: credentials), environment: Kit.env)
            try await mirror.fetch()
            let outcome = try await mirror.update(branch: "main", base: nil, policy: .fastForwardOnly, plan: Kit.setting("t\(i)", to: "\(url)\n"))
            guard case let .pushed(commit, _, _) = outcome else { Issue.record("\(url): \(outcome)"); continue }
            #expect(try fixtures.git.line(["rev-parse", "main"], in: upstream) == commit)
        }
        try fixtures.git.run(["fsck", "--strict"], in: upstream)
        // An unknown host key is refused.
        let otherKnownHosts = scratch.sub("kh")
        try "[127.0.0.1]:\(sshd.port) ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n".write(toFile: otherKnownHosts, atomically: true, encoding: .utf8)
        let wrong = try GitMirror(
            config: Kit.config(sshd.url(upstream), cache: scratch.sub("cache-x"),
                               credentials: .ssh(SSHCredentials(user: sshd.user, keyFile: sshd.clientKey, knownHostsFile: otherKnownHosts))),
            environment: Kit.env)
        let error = await #expect(throws: GitOpsError.self) { try await wrong.fetch() }
        #expect(error?.kind == .hostVerification)
    }

    @Test func fastForwardOnlyFromAnotherBaseRefusesADivergedBranch() async throws {
        let scratch = try GitScratch("mirror-ffbase")
        defer { scratch.remove() }
        let fixtures = GitFixtures(root: scratch.path)
        let upstream = try fixtures.bare("ops.git", files: ["a": "a\n"])
        let mirror = try GitMirror(config: Kit.config("file://\(upstream)", cache: scratch.sub("cache")), environment: Kit.env)
        try await mirror.fetch()
        // staging does not exist yet: created from main.
        guard case .pushed = try await mirror.update(branch: "staging", base: "main", policy: .fastForwardOnly, plan: Kit.setting("s", to: "1\n"))
        else { Issue.record("staging not created"); return }
        // main moves on with an unrelated change: staging (which has its own commit) cannot be fast-forwarded from it.
        guard case .pushed = try await mirror.update(branch: "main", base: nil, policy: .fastForwardOnly, plan: Kit.setting("m", to: "1\n"))
        else { Issue.record("main not updated"); return }
        let before = try fixtures.git.line(["rev-parse", "staging"], in: upstream)
        let error = await #expect(throws: GitOpsError.self) {
            try await mirror.update(branch: "staging", base: "main", policy: .fastForwardOnly, plan: Kit.setting("s", to: "2\n"))
        }
        #expect(error?.kind == .rejected)
        #expect(try fixtures.git.line(["rev-parse", "staging"], in: upstream) == before)
    }
}

/// Collects progress reports from the worker thread.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [GitTransfer] = []
    func append(_ item: GitTransfer) { lock.lock(); stored.append(item); lock.unlock() }
    var items: [GitTransfer] { lock.lock(); defer { lock.unlock() }; return stored }
}
