/// Whether a commit's provenance trailers can be believed. Trailers are text anyone with push access (or a
/// repository template, before Promote refused those) can write; `promote ledger rebuild` believes a block only
/// when the commit carries the change it claims: the spec at the trailer's environment path holds the trailer's
/// version and URI at that commit, and the commit changed that file. Pure: the caller reads both versions of the file.
public enum TrailerTrust {
    /// Why a trailer block is not believed, or nil when it is.
    public static func problem(
        with provenance: Provenance, config: PromoteConfig, specAtCommit: TreeEntry, specBeforeCommit: TreeEntry
    ) -> String? {
        guard let env = config.environment(named: provenance.environment) else {
            return "names environment '\(provenance.environment)', which is not configured"
        }
        let path = config.specPath(model: provenance.model, environment: env)
        guard case .file(let bytes) = specAtCommit else { return "the commit has no spec at \(path)" }
        if case .file(let before) = specBeforeCommit, before == bytes { return "the commit does not change \(path)" }
        let request: ReleaseRequest
        do { request = try ReleaseRequest.validated(model: provenance.model, version: provenance.version, uri: provenance.uri) } catch {
            return "its values are not a valid release (\(error))"
        }
        let snapshot = OneFileSnapshot(path: path, entry: specAtCommit)
        do {
            guard try SpecPlanner.plan(snapshot: snapshot, config: config, environment: env, request: request) == nil else {
                return "\(path) at that commit does not hold \(provenance.version) (\(provenance.uri))"
            }
        } catch {
            return "\(path) at that commit cannot be read as a spec: \(error.message)"
        }
        return nil
    }
}

/// A tree holding one file: what ``TrailerTrust`` hands the spec planner.
private struct OneFileSnapshot: RepositorySnapshot {
    let path: String
    let stored: TreeEntry

    init(path: String, entry: TreeEntry) {
        self.path = path
        self.stored = entry
    }

    var commit: String { "" }
    func entry(at path: String) throws -> TreeEntry { path == self.path ? stored : .missing }
    func list(directory path: String) throws -> [String] { [] }
    func parent() throws -> (any RepositorySnapshot)? { nil }
}
