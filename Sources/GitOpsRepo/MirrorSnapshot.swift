import Foundation
import Git2
import Promotion
import Synchronization

/// A read-only view of one commit of a mirror, loaded lazily: nothing beyond the asked paths is read. Reads made on
/// the mirror's worker thread (`plan` closures) use the worker's handle; reads made anywhere else use the
/// snapshot's own read-only handle (``SnapshotReader``), so no caller ever blocks waiting for the worker's queue.
final class MirrorSnapshot: RepositorySnapshot, Sendable {
    let commit: String
    let commitID: ObjectID?
    let tree: ObjectID?
    private let worker: GitWorker
    private let open: @Sendable (WorkerState) throws -> Repository
    private let reader: SnapshotReader

    init(
        commitID: ObjectID?, tree: ObjectID?, worker: GitWorker, open: @escaping @Sendable (WorkerState) throws -> Repository,
        reader: SnapshotReader? = nil
    ) {
        self.commit = commitID?.hex ?? ""
        self.commitID = commitID
        self.tree = tree
        self.worker = worker
        self.open = open
        self.reader = reader ?? SnapshotReader(path: worker.path)
    }

    /// Runs `body` with a repository handle this thread may use.
    private func reading<T>(_ body: (Repository) throws -> T) throws -> T {
        if worker.isCurrent { return try body(open(worker.state)) }
        return try reader.reading(body)
    }

    func entry(at path: String) throws -> TreeEntry {
        guard let tree else { return .missing }
        let trimmed = path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if trimmed.isEmpty { return .directory }
        return try reading { repo in
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
        return try reading { repo -> MirrorSnapshot? in
            guard let parent = try GitMirror.translate({ try repo.commit(commitID).parents.first }) else { return nil }
            let tree = try GitMirror.translate { try repo.commit(parent).tree }
            return MirrorSnapshot(commitID: parent, tree: tree, worker: worker, open: open, reader: reader)
        }
    }

    func list(directory path: String) throws -> [String] {
        guard let tree else { return [] }
        let trimmed = path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        return try reading { repo in
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
