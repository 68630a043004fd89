import Foundation

/// Where the helper scripts are.
enum GitTestScripts {
    /// The repository root, found from this source file's location.
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Sources/TestSupport/GitHTTPServer.swift
        return url.path
    }()

    static let server = (repositoryRoot as NSString).appendingPathComponent("scripts/testing/git_test_server.py")

    /// python3 from PATH (the project's test Python), else /usr/bin/python3.
    static let python: String = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(dir)/python3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return "/usr/bin/python3"
    }()
}
