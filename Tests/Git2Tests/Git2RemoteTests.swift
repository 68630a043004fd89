import Foundation
import Testing
import TestSupport
@testable import Git2

/// Fetch, push and ls-remote against real servers on 127.0.0.1.
@Suite(.serialized) struct Git2RemoteTests {
    let me = GitPerson(name: "Bot", email: "bot@example.com")

    /// Commits `content` at `path` on top of `parent` in `repo` and points `refs/promote/out` at it.
    func commit(_ repo: Repository, parent: ObjectID?, path: String, content: String) throws -> ObjectID {
        let base = try parent.map { try repo.commit($0).tree }
        let blob = try repo.createBlob(Data(content.utf8))
        let tree = try repo.updatedTree(base: base, updates: [.upsert(path: path, blob: blob)])
        let id = try repo.createCommit(tree: tree, parents: parent.map { [$0] } ?? [], message: "edit \(path)\n", author: me, committer: me)
        try repo.setReference("refs/promote/out", to: id, expected: .any)
        return id
    }

    @Test func fileFetchPrunesAndPushes() throws {
        let scratch = try GitScratch("git2-file")
        defer { scratch.remove() }
        let fixtures = GitFixtures(root: scratch.path)
        let upstream = try fixtures.bare("up.git", files: ["a.txt": "a\n"])
        try fixtures.git.run(["branch", "side", "main"], in: upstream)
        let mirror = try Repository.initBare(at: scratch.sub("mirror.git"))
        let url = "file://\(upstream)"
        try mirror.fetch(url: url, refspecs: ["+refs/heads/*:refs/heads/*"], prune: true, options: RemoteOptions())
        #expect(try mirror.references(matching: "refs/heads/*").map(\.name) == ["refs/heads/main", "refs/heads/side"])
        try fixtures.git.run(["branch", "-D", "side"], in: upstream)
        try mirror.fetch(url: url, refspecs: ["+refs/heads/*:refs/heads/*"], prune: true, options: RemoteOptions())
        #expect(try mirror.references(matching: "refs/heads/*").map(\.name) == ["refs/heads/main"])

        let tip = try #require(try mirror.reference("refs/heads/main"))
        let new = try commit(mirror, parent: tip, path: "b.txt", content: "b\n")
        let report = try mirror.push(url: url, refspecs: ["refs/promote/out:refs/heads/main"], leases: ["refs/heads/main": tip], options: RemoteOptions())
        #expect(report.succeeded)
        #expect(try fixtures.git.line(["rev-parse", "main"], in: upstream) == new.hex)
        try fixtures.git.run(["fsck", "--strict"], in: upstream)
    }

    @Test func smartHTTPWithBasicAuthPushesAndReportsPerRefStatus() throws {
        let scratch = try GitScratch("git2-http")
        defer { scratch.remove() }
        let fixtures = GitFixtures(root: scratch.sub("srv"))
        let upstream = try fixtures.bare("repo.git", files: ["env/staging.yaml": "version: 1\n"])
        let server = try GitHTTPServer(root: fixtures.root, user: "bot", password: "t0ken-secret")
        defer { server.stop() }
        let url = server.url("repo.git")
        let options = RemoteOptions(credentials: .userPassword(username: "bot", password: "t0ken-secret"))

        let heads = try RemoteListing.list(url: url, options: options)
        let remoteMain = try #require(heads.first { $0.name == "refs/heads/main" })
        #expect(remoteMain.id.hex == (try fixtures.git.line(["rev-parse", "main"], in: upstream)))

        let mirror = try Repository.initBare(at: scratch.sub("mirror.git"))
        try mirror.fetch(url: url, refspecs: ["+refs/heads/*:refs/heads/*"], prune: true, options: options)
        let tip = try #require(try mirror.reference("refs/heads/main"))
        let new = try commit(mirror, parent: tip, path: "env/staging.yaml", content: "version: 2\n")
        let report = try mirror.push(url: url, refspecs: ["refs/promote/out:refs/heads/main"], leases: ["refs/heads/main": tip], options: options)
        #expect(report.statuses == ["refs/heads/main": String?.none])
        #expect(try fixtures.git.line(["rev-parse", "main"], in: upstream) == new.hex)

        // A lease on a value the remote no longer has stops the push before anything is sent.
        let other = try commit(mirror, parent: tip, path: "x", content: "x\n")
        let broken = #expect(throws: GitError.self) {
            try mirror.push(url: url, refspecs: ["+refs/promote/out:refs/heads/main"], leases: ["refs/heads/main": tip], options: options)
        }
        #expect(broken?.kind == .stale)
        #expect(try fixtures.git.line(["rev-parse", "main"], in: upstream) == new.hex)
        _ = other

        // A rejecting pre-receive hook comes back as a status, not as an error code.
        try fixtures.installHook("pre-receive", in: upstream, script: "#!/bin/sh\necho 'rejected by policy' >&2\nexit 1\n")
        let third = try commit(mirror, parent: new, path: "y", content: "y\n")
        let refused = try mirror.push(url: url, refspecs: ["refs/promote/out:refs/heads/main"], leases: ["refs/heads/main": new], options: options)
        #expect(!refused.succeeded)
        #expect(refused.rejections["refs/heads/main"]?.contains("pre-receive hook declined") == true)
        #expect(refused.serverMessages.joined().contains("rejected by policy"))
        #expect(try fixtures.git.line(["rev-parse", "main"], in: upstream) == new.hex)
        _ = third
    }

    @Test func wrongPasswordFailsOnceWithoutTheSecret() throws {
        let scratch = try GitScratch("git2-auth")
        defer { scratch.remove() }
        let fixtures = GitFixtures(root: scratch.sub("srv"))
        try fixtures.bare("repo.git", files: ["a": "a\n"])
        let server = try GitHTTPServer(root: fixtures.root, user: "bot", password: "right")
        defer { server.stop() }
        let mirror = try Repository.initBare(at: scratch.sub("mirror.git"))
        let wrong = RemoteOptions(credentials: .userPassword(username: "bot", password: "wr0ng-pa55"))
        let error = #expect(throws: GitError.self) {
            try mirror.fetch(url: server.url("repo.git"), refspecs: ["+refs/heads/*:refs/heads/*"], prune: true, options: wrong)
        }
        #expect(error?.kind == .authentication)
        #expect(error?.message.contains("rejected the configured credentials") == true)
        #expect(error.map { !"\($0)".contains("wr0ng-pa55") } == true)
        let none = #expect(throws: GitError.self) {
            try mirror.fetch(url: server.url("repo.git"), refspecs: ["+refs/heads/*:refs/heads/*"], prune: true, options: RemoteOptions())
        }
        #expect(none?.kind == .authentication)
        // Credentials in the URL itself never reach the message.
        let inURL = #expect(throws: GitError.self) {
            try mirror.fetch(url: server.url("repo.git", user: "bot", password: "url-s3cret"), refspecs: ["+refs/heads/*:refs/heads/*"], prune: true, options: wrong)
        }
        #expect(inURL.map { !"\($0)".contains("url-s3cret") && !"\($0)".contains("wr0ng-pa55") } == true)
    }

    @Test func gitDaemonFetchAndPush() throws {
        let scratch = try GitScratch("git2-daemon")
        defer { scratch.remove() }
        let fixtures = GitFixtures(root: scratch.sub("srv"))
        let upstream = try fixtures.bare("repo.git", files: ["a": "a\n"])
        let daemon = try GitDaemonServer(root: fixtures.root)
        defer { daemon.stop() }
        let mirror = try Repository.initBare(at: scratch.sub("mirror.git"))
        let url = daemon.url("repo.git")
        try mirror.fetch(url: url, refspecs: ["+refs/heads/*:refs/heads/*"], prune: true, options: RemoteOptions())
        let tip = try #require(try mirror.reference("refs/heads/main"))
        let new = try commit(mirror, parent: tip, path: "b", content: "b\n")
        let report = try mirror.push(url: url, refspecs: ["refs/promote/out:refs/heads/main"], leases: ["refs/heads/main": tip], options: RemoteOptions())
        #expect(report.succeeded)
        #expect(try fixtures.git.line(["rev-parse", "main"], in: upstream) == new.hex)
        try fixtures.git.run(["fsck", "--strict"], in: upstream)
    }

    @Test(.enabled(if: getuid() == 0, "sshd on a loopback port needs root"))
    func sshWithEd25519KeyAndCheckedHostKey() throws {
        let scratch = try GitScratch("git2-ssh")
        defer { scratch.remove() }
        let fixtures = GitFixtures(root: scratch.sub("srv"))
        let upstream = try fixtures.bare("repo.git", files: ["a": "a\n"])
        let sshd = try GitSSHServer(directory: scratch.sub("sshd"))
        defer { sshd.stop() }
        let url = sshd.url(upstream)
        let key = RemoteCredentials.sshKey(username: sshd.user, privateKeyFile: sshd.clientKey, publicKeyFile: sshd.clientPublicKey, passphrase: nil)
        let mirror = try Repository.initBare(at: scratch.sub("mirror.git"))

        // Pinned fingerprint.
        let pinned = RemoteOptions(credentials: key, hostKey: .fingerprints([sshd.hostFingerprint]))
        try mirror.fetch(url: url, refspecs: ["+refs/heads/*:refs/heads/*"], prune: true, options: pinned)
        let tip = try #require(try mirror.reference("refs/heads/main"))
        // known_hosts file.
        let known = RemoteOptions(credentials: key, hostKey: .knownHostsFile(sshd.knownHosts))
        let new = try commit(mirror, parent: tip, path: "b", content: "b\n")
        let report = try mirror.push(url: url, refspecs: ["refs/promote/out:refs/heads/main"], leases: ["refs/heads/main": tip], options: known)
        #expect(report.succeeded)
        #expect(try fixtures.git.line(["rev-parse", "main"], in: upstream) == new.hex)

        // A wrong pin, an empty known_hosts and no policy are all refused before authenticating.
        let otherKnownHosts = scratch.sub("other_known_hosts")
        try "[127.0.0.1]:\(sshd.port) ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n"
            .write(toFile: otherKnownHosts, atomically: true, encoding: .utf8)
        for policy in [HostKeyPolicy.fingerprints(["SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]), .knownHostsFile(otherKnownHosts), .refuse] {
            let error = #expect(throws: GitError.self) {
                try mirror.fetch(url: url, refspecs: ["+refs/heads/*:refs/heads/*"], prune: true, options: RemoteOptions(credentials: key, hostKey: policy))
            }
            #expect(error?.kind == .certificate)
        }
    }

    /// A server that accepts and never answers: every transport gives up after the idle limit.
    @Test(arguments: ["http", "https", "git", "ssh"])
    func hangingServerTimesOut(scheme: String) throws {
        let scratch = try GitScratch("git2-hang")
        defer { scratch.remove() }
        let server = try GitHangingServer(lifetime: 60)
        defer { server.stop() }
        let mirror = try Repository.initBare(at: scratch.sub("mirror.git"))
        let url = scheme == "ssh" ? "ssh://git@127.0.0.1:\(server.port)/repo.git" : "\(scheme)://127.0.0.1:\(server.port)/repo.git"
        let options = RemoteOptions(
            credentials: .userPassword(username: "u", password: "p"), hostKey: .refuse,
            timeouts: NetworkTimeouts(connect: .seconds(2), idle: .milliseconds(1500)))
        let start = Date()
        let error = #expect(throws: GitError.self) {
            try mirror.fetch(url: url, refspecs: ["+refs/heads/*:refs/heads/*"], prune: true, options: options)
        }
        let elapsed = Date().timeIntervalSince(start)
        #expect(error?.kind == .timeout, "\(String(describing: error))")
        #expect(elapsed >= 1.4 && elapsed < 30, "gave up after \(elapsed) s")
    }

    /// A server whose accept queue is full never completes the TCP handshake: the connect timeout fires.
    @Test(arguments: ["http", "ssh"])
    func connectTimeoutFires(scheme: String) throws {
        let scratch = try GitScratch("git2-connect")
        defer { scratch.remove() }
        let server = try GitHangingServer(completeHandshake: false, lifetime: 60)
        defer { server.stop() }
        let mirror = try Repository.initBare(at: scratch.sub("mirror.git"))
        let options = RemoteOptions(
            credentials: .userPassword(username: "u", password: "p"),
            timeouts: NetworkTimeouts(connect: .seconds(1), idle: .seconds(30)))
        let error = #expect(throws: GitError.self) {
            try mirror.fetch(url: "\(scheme)://127.0.0.1:\(server.port)/repo.git", refspecs: ["+refs/heads/*:refs/heads/*"], prune: true, options: options)
        }
        #expect(error?.kind == .timeout, "\(String(describing: error))")
        #expect(error?.message.contains("connecting to 127.0.0.1") == true, "\(String(describing: error))")
    }

    /// https:// runs mbedTLS over our timeout stream: a real clone and push through it, with a pinned self-signed
    /// certificate; without the pin the certificate is refused.
    @Test func httpsWithAPinnedSelfSignedCertificate() throws {
        let scratch = try GitScratch("git2-https")
        defer { scratch.remove() }
        let fixtures = GitFixtures(root: scratch.sub("srv"))
        let upstream = try fixtures.bare("repo.git", files: ["a": "a\n"])
        let server = try GitHTTPServer(root: fixtures.root, user: "bot", password: "tls-secret", tls: true)
        defer { server.stop() }
        let url = server.url("repo.git")
        #expect(url.hasPrefix("https://"))
        let mirror = try Repository.initBare(at: scratch.sub("mirror.git"))
        let credentials = RemoteCredentials.userPassword(username: "bot", password: "tls-secret")
        let refused = #expect(throws: GitError.self) {
            try mirror.fetch(url: url, refspecs: ["+refs/heads/*:refs/heads/*"], prune: true, options: RemoteOptions(credentials: credentials))
        }
        #expect(refused?.kind == .certificate, "\(String(describing: refused))")
        let pinned = RemoteOptions(credentials: credentials, pinnedCertificateFiles: [try #require(server.certificateFile)])
        try mirror.fetch(url: url, refspecs: ["+refs/heads/*:refs/heads/*"], prune: true, options: pinned)
        let tip = try #require(try mirror.reference("refs/heads/main"))
        let new = try commit(mirror, parent: tip, path: "b", content: "b\n")
        let report = try mirror.push(url: url, refspecs: ["refs/promote/out:refs/heads/main"], leases: ["refs/heads/main": tip], options: pinned)
        #expect(report.succeeded)
        #expect(try fixtures.git.line(["rev-parse", "main"], in: upstream) == new.hex)
    }
}
