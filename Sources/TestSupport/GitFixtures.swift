import Foundation

/// Builds bare repositories for tests with the git CLI.
public struct GitFixtures: Sendable {
    public let git: GitCLI
    public let root: String

    /// Fixtures under `root` (usually a `GitScratch` path).
    public init(root: String) {
        self.root = root
        self.git = GitCLI(home: (root as NSString).appendingPathComponent("home"))
    }

    /// An empty bare repository `root/name` (HEAD -> main). Pushes are allowed over http/daemon/ssh.
    @discardableResult
    public func emptyBare(_ name: String) throws -> String {
        let path = (root as NSString).appendingPathComponent(name)
        try git.run(["init", "-q", "--bare", path])
        try git.run(["config", "http.receivepack", "true"], in: path)
        try git.run(["config", "daemon.receivepack", "true"], in: path)
        return path
    }

    /// A bare repository `root/name` whose `branch` holds `files` (path -> content), `symlinks` (path -> target)
    /// and `submodules` (path -> commit id), in one commit.
    @discardableResult
    public func bare(
        _ name: String, branch: String = "main", files: [String: String], symlinks: [String: String] = [:],
        submodules: [String: String] = [:]
    ) throws -> String {
        let path = try emptyBare(name)
        let work = (root as NSString).appendingPathComponent("\(name)-seed-\(UUID().uuidString.prefix(6))")
        try git.run(["init", "-q", "-b", branch, work])
        for (file, content) in files {
            try write(content, to: (work as NSString).appendingPathComponent(file))
        }
        for (link, target) in symlinks {
            let full = (work as NSString).appendingPathComponent(link)
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: full, withDestinationPath: target)
        }
        try git.run(["add", "-A"], in: work)
        for (sub, commit) in submodules {
            try git.run(["update-index", "--add", "--cacheinfo", "160000,\(commit),\(sub)"], in: work)
        }
        try git.run(["commit", "-q", "-m", "seed"], in: work)
        try git.run(["push", "-q", path, "\(branch):refs/heads/\(branch)"], in: work)
        try? FileManager.default.removeItem(atPath: work)
        return path
    }

    /// A non-bare clone of `url` at `root/name`, for a second writer.
    @discardableResult
    public func clone(_ url: String, _ name: String) throws -> String {
        let path = (root as NSString).appendingPathComponent(name)
        try git.run(["clone", "-q", url, path])
        return path
    }

    /// Writes `content` at `path`, creating directories.
    public func write(_ content: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try content.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Installs an executable hook script (e.g. "pre-receive") in a bare repository.
    public func installHook(_ hook: String, in bare: String, script: String) throws {
        let hooks = (bare as NSString).appendingPathComponent("hooks")
        try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true)
        let file = (hooks as NSString).appendingPathComponent(hook)
        try script.write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file)
    }
}
