import Foundation

/// Lock files that a process killed in the middle of a libgit2 write left in a mirror (`refs/…/X.lock`,
/// `packed-refs.lock`, `HEAD.lock`, `config.lock`). Every write to a mirror happens while holding its `flock`
/// (``FileLock``), so a lock file seen by the holder belongs to nobody alive and would fail every later write of
/// that reference ("failed to lock file … for writing"): the holder removes them before it works.
enum StaleLocks {
    /// Removes the stale lock files of the bare repository at `gitDir`; returns the paths removed.
    @discardableResult
    static func remove(in gitDir: String) -> [String] {
        let files = FileManager.default
        var removed: [String] = []
        for name in ["packed-refs.lock", "HEAD.lock", "config.lock", "shallow.lock"] {
            let path = gitDir + "/" + name
            if files.fileExists(atPath: path), (try? files.removeItem(atPath: path)) != nil { removed.append(path) }
        }
        let refs = gitDir + "/refs"
        guard let walk = files.enumerator(atPath: refs) else { return removed }
        while let relative = walk.nextObject() as? String {
            guard relative.hasSuffix(".lock") else { continue }
            let path = refs + "/" + relative
            if (try? files.removeItem(atPath: path)) != nil { removed.append(path) }
        }
        return removed
    }
}
