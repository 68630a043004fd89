import Foundation

/// Test infrastructure shared by the test targets: loopback servers, in-memory ports and fixture helpers.
public enum TestSupport {
    /// The repository root (the folder holding Package.swift), found from this source file's location.
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }()
}
