import Foundation
import Git2
import Promotion

/// A read-only view of one commit of a mirror. Reads run on the mirror's worker thread (inline when the caller is
/// already there, as `plan` closures are) and are loaded lazily: nothing beyond the asked paths is read.
final class MirrorSnapshot: RepositorySnapshot, @unchecked Sendable {
    let commit: String
    let commitID: ObjectID?
    let tree: ObjectID?
    private let worker: GitWorker
    private let open: @Sendable (WorkerState) throws -> Repository

    init(commitID: ObjectID?, tree: ObjectID?, worker: GitWorker, open: @escaping @Sendable (WorkerState) throws -> Repository) {
        self.commit = commitID?.hex ?? ""
        self.commitID = commitID
        self.tree = tree
        self.worker = worker
        self.open = open
    }

    func entry(at path: String) throws -> TreeEntry {
        guard let tree else { return .missing }
        let trimmed = path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if trimmed.isEmpty { return .directory }
        return try worker.sync { state in
            let repo = try open(state)
            guard let item = try GitMirror.translate({ try repo.entry(inTree: tree, path: trimmed) }) else { return .missing }
            switch item.kind {
            case .file, .executable: return .file(try GitMirror.translate { try repo.blob(item.id) })
            case .directory: return .directory
            case .submodule: return .submodule
            case .symlink:
                let target = try GitMirror.translate { try repo.blob(item.id) }
                return .symlink(target: String(decoding: target, as: UTF8.self))
            }
        }
    }

    func parent() throws -> (any RepositorySnapshot)? {
        guard let commitID else { return nil }
        return try worker.sync { state -> MirrorSnapshot? in
            let repo = try open(state)
            guard let parent = try GitMirror.translate({ try repo.commit(commitID).parents.first }) else { return nil }
            let tree = try GitMirror.translate { try repo.commit(parent).tree }
            return MirrorSnapshot(commitID: parent, tree: tree, worker: worker, open: open)
        }
    }

    func list(directory path: String) throws -> [String] {
        guard let tree else { return [] }
        let trimmed = path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        return try worker.sync { state in
            let repo = try open(state)
            var dir = tree
            if !trimmed.isEmpty {
                guard let item = try GitMirror.translate({ try repo.entry(inTree: tree, path: trimmed) }), item.kind == .directory
                else { return [] }
                dir = item.id
            }
            return try GitMirror.translate { try repo.list(tree: dir) }.map(\.name).sorted()
        }
    }
}
