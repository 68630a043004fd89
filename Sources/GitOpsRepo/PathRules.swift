import Git2

/// Checks the paths an edit may touch: relative, no `.`/`..`/`.git` components, and never through or onto a
/// symlink or a submodule (the tree is built in memory, so this is what keeps an edit inside the repository).
enum PathRules {
    static func components(of path: String) throws -> [String] {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\0") else {
            throw GitOpsError(.unsafePath, "refusing to edit '\(path)': not a relative path")
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for part in parts where part.isEmpty || part == "." || part == ".." || part.lowercased() == ".git" {
            throw GitOpsError(.unsafePath, "refusing to edit '\(path)': the component '\(part)' is not allowed")
        }
        return parts
    }

    /// Throws unless `path` can be written (or deleted) as a regular file in `tree`.
    static func checkWritable(_ path: String, in tree: ObjectID?, repository: Repository) throws {
        let parts = try components(of: path)
        guard let tree else { return }
        var prefix = ""
        for (index, part) in parts.enumerated() {
            prefix = prefix.isEmpty ? part : prefix + "/" + part
            guard let entry = try repository.entry(inTree: tree, path: prefix) else { return }
            let isLast = index == parts.count - 1
            switch entry.kind {
            case .symlink:
                throw GitOpsError(.unsafePath, "refusing to edit '\(path)': '\(prefix)' is a symbolic link in the repository")
            case .submodule:
                throw GitOpsError(.unsafePath, "refusing to edit '\(path)': '\(prefix)' is a submodule")
            case .directory:
                if isLast { throw GitOpsError(.unsafePath, "refusing to edit '\(path)': it is a directory") }
            case .file, .executable:
                if !isLast { throw GitOpsError(.unsafePath, "refusing to edit '\(path)': '\(prefix)' is a file") }
            }
        }
    }
}
