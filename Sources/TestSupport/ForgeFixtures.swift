import Foundation

/// Bare repositories for the stand-in forge, built with the `git` CLI.
public enum ForgeFixtures {
    /// A fresh temporary folder (removed by the caller with `FileManager.removeItem`).
    public static func temporaryDirectory(_ label: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("promote-\(label)-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Creates `<root>/<project>.git` with `main` (one commit) and each of `branches` (one more commit each,
    /// touching its own file so they all merge cleanly). Returns the bare repository's path.
    @discardableResult
    public static func makeRepository(root: String, project: String, branches: [String]) throws -> String {
        let bare = "\(root)/\(project).git"
        let work = "\(root)/.work-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: bare, withIntermediateDirectories: true)
        try git(["init", "-q", "--bare", "-b", "main", bare])
        try git(["init", "-q", "-b", "main", work])
        try "replicas: 1\n".write(toFile: "\(work)/README.md", atomically: true, encoding: .utf8)
        try git(["-C", work, "add", "."])
        try git(["-C", work, "commit", "-q", "-m", "initial"])
        for (i, b) in branches.enumerated() {
            try git(["-C", work, "checkout", "-q", "-b", b, "main"])
            try "version: \(i)\n".write(toFile: "\(work)/change-\(i).yaml", atomically: true, encoding: .utf8)
            try git(["-C", work, "add", "."])
            try git(["-C", work, "commit", "-q", "-m", "change \(b)"])
        }
        try git(["-C", work, "push", "-q", bare] + ["main"] + branches)
        try FileManager.default.removeItem(atPath: work)
        return bare
    }

    /// Runs git with an isolated configuration (see ``GitCLI``); returns trimmed stdout.
    @discardableResult
    public static func git(_ args: [String]) throws -> String {
        try cli.line(args)
    }

    private static let cli = GitCLI(home: FileManager.default.temporaryDirectory.appendingPathComponent("promote-forge-fixtures-home").path)

    /// Where Swift tests write stand-in exchange logs for `Tests/python/test_forge_exchanges.py` to validate.
    public static func exchangeLogPath(_ name: String, filePath: String = #filePath) -> String {
        var url = URL(fileURLWithPath: filePath)
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        let dir = url.appendingPathComponent(".build/forge-exchanges")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("\(name).jsonl").path
    }
}
