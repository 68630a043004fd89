import Foundation

/// A temporary directory for one test, removed by `remove()` (call it in a `defer`).
public final class GitScratch: Sendable {
    /// The directory's path.
    public let path: String

    public init(_ label: String = "git") throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("promote-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
    }

    /// `path/name`.
    public func sub(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// Deletes the directory.
    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}
