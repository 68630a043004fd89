/// One change to apply to a tree with `Repository.updatedTree(base:updates:)`; paths may be nested ("a/b/c.yaml").
public enum TreeUpdate: Sendable, Hashable {
    /// Puts the blob at `path` (creating directories), as a regular or executable file.
    case upsert(path: String, blob: ObjectID, executable: Bool = false)
    /// Removes `path`; removing a missing path is not an error.
    case remove(path: String)

    var path: String {
        switch self {
        case let .upsert(path, _, _), let .remove(path): return path
        }
    }
}
