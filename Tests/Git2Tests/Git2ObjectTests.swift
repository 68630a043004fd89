import Foundation
import Testing
import TestSupport
@testable import Git2

@Suite struct Git2ObjectTests {
    @Test func writesBlobsTreesCommitsAndRefsWithoutAWorkTree() throws {
        let scratch = try GitScratch("git2-objects")
        defer { scratch.remove() }
        let repo = try Repository.initBare(at: scratch.sub("repo.git"))
        let readme = try repo.createBlob(Data("hello\n".utf8))
        let nested = try repo.createBlob(Data("a: 1\n".utf8))
        let tree1 = try repo.updatedTree(base: nil, updates: [
            .upsert(path: "README.md", blob: readme), .upsert(path: "dir/sub/file.yaml", blob: nested),
        ])
        let me = GitPerson(name: "Bot", email: "bot@example.com")
        let c1 = try repo.createCommit(tree: tree1, parents: [], message: "one\n", author: me, committer: me)
        try repo.setReference("refs/heads/main", to: c1, expected: .absent)

        let changed = try repo.createBlob(Data("a: 2\n".utf8))
        let tree2 = try repo.updatedTree(base: tree1, updates: [
            .upsert(path: "dir/sub/file.yaml", blob: changed), .remove(path: "README.md"),
        ])
        let c2 = try repo.createCommit(tree: tree2, parents: [c1], message: "two\n", author: me, committer: me)
        // A stale compare-and-swap is refused and leaves the reference alone.
        let stale = #expect(throws: GitError.self) {
            try repo.setReference("refs/heads/main", to: c2, expected: .at(c2))
        }
        #expect(stale?.kind == .stale)
        #expect(throws: GitError.self) { try repo.setReference("refs/heads/main", to: c2, expected: .absent) }
        try repo.setReference("refs/heads/main", to: c2, expected: .at(c1))
        #expect(try repo.reference("refs/heads/main") == c2)

        let entry = try #require(try repo.entry(inTree: tree2, path: "dir/sub/file.yaml"))
        #expect(entry.kind == .file)
        #expect(try repo.blob(entry.id) == Data("a: 2\n".utf8))
        #expect(try repo.entry(inTree: tree2, path: "README.md") == nil)
        #expect(try repo.entry(inTree: tree2, path: "dir")?.kind == .directory)
        #expect(try repo.list(tree: tree2).map(\.name) == ["dir"])
        #expect(try repo.log(from: c2, limit: 10).map(\.id) == [c2, c1])
        #expect(try repo.isDescendant(c2, of: c1))

        // The git CLI agrees.
        let git = GitCLI(home: scratch.sub("home"))
        try git.run(["fsck", "--strict"], in: repo.path)
        #expect(try git.line(["log", "--format=%s", "main"], in: repo.path) == "two\none")
        #expect(try git.run(["show", "main:dir/sub/file.yaml"], in: repo.path) == "a: 2\n")
        #expect(try git.line(["diff", "--stat", "main~1", "main"], in: repo.path).contains("2 files changed"))
    }

    @Test func readsSymlinksAndSubmodulesAsSuch() throws {
        let scratch = try GitScratch("git2-kinds")
        defer { scratch.remove() }
        let fixtures = GitFixtures(root: scratch.path)
        let bare = try fixtures.bare(
            "kinds.git", files: ["real.yaml": "x: 1\n"], symlinks: ["link.yaml": "real.yaml"],
            submodules: ["vendor/lib": "0123456789abcdef0123456789abcdef01234567"])
        let repo = try Repository.openBare(at: bare)
        let tip = try #require(try repo.reference("refs/heads/main"))
        let tree = try repo.commit(tip).tree
        #expect(try repo.entry(inTree: tree, path: "link.yaml")?.kind == .symlink)
        #expect(try repo.entry(inTree: tree, path: "vendor/lib")?.kind == .submodule)
        #expect(try repo.entry(inTree: tree, path: "real.yaml")?.kind == .file)
        #expect(try repo.entry(inTree: tree, path: "real.yaml/x") == nil)
    }

    @Test func openingSomethingElseFails() throws {
        let scratch = try GitScratch("git2-open")
        defer { scratch.remove() }
        let error = #expect(throws: GitError.self) { try Repository.openBare(at: scratch.sub("missing")) }
        #expect(error?.function == "git_repository_open_ext")
    }

    @Test(arguments: [
        ("https://user:s3cret@host/x.git", "https://***@host/x.git"),
        ("failed for ssh://git@host:22/p and http://a:b@c/d", "failed for ssh://***@host:22/p and http://***@c/d"),
        ("no url here", "no url here"),
    ])
    func redactsUserinfo(input: String, expected: String) {
        #expect(Redaction.redact(input) == expected)
    }
}
