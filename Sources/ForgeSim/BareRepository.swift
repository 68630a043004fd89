internal import Foundation

/// A bare git repository the stand-in serves, driven by the `git` CLI as a forge's own server would.
struct BareRepository: Sendable {
    let path: String

    /// Thrown when git fails; carries git's stderr.
    struct GitError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Runs git in the repository; returns stdout (trimmed), or throws with stderr.
    @discardableResult
    func git(_ args: [String], input: String? = nil, allowFailure: Bool = false) throws -> (out: String, status: Int32) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "--git-dir", path] + args
        var env = ProcessInfo.processInfo.environment
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["GIT_AUTHOR_NAME"] = "Forge Stand-in"
        env["GIT_AUTHOR_EMAIL"] = "stand-in@forge.invalid"
        env["GIT_COMMITTER_NAME"] = "Forge Stand-in"
        env["GIT_COMMITTER_EMAIL"] = "stand-in@forge.invalid"
        p.environment = env
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        try p.run()
        if let input { inp.fileHandleForWriting.write(Data(input.utf8)) }
        try? inp.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if p.terminationStatus != 0 && !allowFailure {
            throw GitError(message: "git \(args.joined(separator: " ")): " + String(decoding: errData, as: UTF8.self))
        }
        return (text, p.terminationStatus)
    }

    /// Every branch and its tip.
    func branches() throws -> [String: String] {
        let out = try git(["for-each-ref", "--format=%(refname:strip=2) %(objectname)", "refs/heads/"]).out
        var result: [String: String] = [:]
        for line in out.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2 { result[String(parts[0])] = String(parts[1]) }
        }
        return result
    }

    func tip(_ branch: String) throws -> String? { try branches()[branch] }

    /// Creates (or moves) branches to `sha` in one git call.
    func createBranches(_ names: [String], at sha: String) throws {
        try git(["update-ref", "--stdin"], input: names.map { "update refs/heads/\($0) \(sha)\n" }.joined())
    }

    /// Whether `ancestor` is reachable from `descendant` (so `descendant` adds nothing new when equal or behind).
    func isAncestor(_ ancestor: String, of descendant: String) -> Bool {
        ((try? git(["merge-base", "--is-ancestor", ancestor, descendant], allowFailure: true))?.status ?? 1) == 0
    }

    func deleteBranch(_ name: String) throws { try git(["update-ref", "-d", "refs/heads/\(name)"]) }

    /// Whether `head` merges into `base` without conflicts.
    func canMerge(head: String, base: String) -> Bool {
        ((try? git(["merge-tree", "--write-tree", "refs/heads/\(base)", "refs/heads/\(head)"], allowFailure: true))?.status ?? 1) == 0
    }

    /// Merges `head` into `base` server-side (no work tree): a merge commit, a squash commit or a fast-forward.
    /// Returns the new tip of `base`. Fails on conflicts.
    func merge(head: String, base: String, squash: Bool, message: String) throws -> String {
        guard let baseSHA = try tip(base), let headSHA = try tip(head) else { throw GitError(message: "branch missing") }
        let tree = try git(["merge-tree", "--write-tree", baseSHA, headSHA], allowFailure: true)
        guard tree.status == 0, let treeID = tree.out.split(separator: "\n").first.map(String.init) else {
            throw GitError(message: "merge conflict between \(head) and \(base)")
        }
        var args = ["commit-tree", treeID, "-p", baseSHA]
        if !squash { args += ["-p", headSHA] }
        args += ["-m", message]
        let commit = try git(args).out
        try git(["update-ref", "refs/heads/\(base)", commit, baseSHA])
        return commit
    }
}
