internal import Clibgit2
public import Foundation

/// A bare repository opened with libgit2. Not thread-safe: use one instance on one thread at a time.
public final class Repository {
    let handle: OpaquePointer
    /// The repository directory.
    public let path: String

    private init(handle: OpaquePointer, path: String) {
        self.handle = handle
        self.path = path
    }

    deinit { git_repository_free(handle) }

    /// Creates a bare repository at `path` (the directory may exist and be empty) whose HEAD names `initialHead`.
    public static func initBare(at path: String, initialHead: String = "main") throws(GitError) -> Repository {
        Git2.initialize()
        var options = git_repository_init_options()
        try GitError.check(git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION)), "git_repository_init_options_init")
        options.flags = GIT_REPOSITORY_INIT_BARE.rawValue | GIT_REPOSITORY_INIT_MKPATH.rawValue
        var out: OpaquePointer?
        let rc = initialHead.withCString { head -> Int32 in
            options.initial_head = head
            return git_repository_init_ext(&out, path, &options)
        }
        try GitError.check(rc, "git_repository_init_ext")
        guard let out else { throw GitError(function: "git_repository_init_ext", code: -1, message: "no repository") }
        return Repository(handle: out, path: path)
    }

    /// Opens the bare repository at exactly `path` (no search upwards).
    public static func openBare(at path: String) throws(GitError) -> Repository {
        Git2.initialize()
        var out: OpaquePointer?
        let flags = GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue | GIT_REPOSITORY_OPEN_BARE.rawValue
        try GitError.check(git_repository_open_ext(&out, path, flags, nil), "git_repository_open_ext")
        guard let out else { throw GitError(function: "git_repository_open_ext", code: -1, message: "no repository") }
        guard git_repository_is_bare(out) == 1 else {
            git_repository_free(out)
            throw GitError(function: "git_repository_open_ext", code: -1, message: "\(path) is not a bare repository")
        }
        return Repository(handle: out, path: path)
    }

    // MARK: config

    /// A value of the repository's own config (system/global config is never read).
    public func configString(_ key: String) throws(GitError) -> String? {
        var config: OpaquePointer?
        try GitError.check(git_repository_config(&config, handle), "git_repository_config")
        defer { git_config_free(config) }
        var buf = git_buf()
        defer { git_buf_dispose(&buf) }
        let rc = git_config_get_string_buf(&buf, config, key)
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try GitError.check(rc, "git_config_get_string_buf")
        return String(cString: buf.ptr)
    }

    /// Sets a value in the repository's own config file.
    public func setConfig(_ key: String, _ value: String) throws(GitError) {
        var config: OpaquePointer?
        try GitError.check(git_repository_config(&config, handle), "git_repository_config")
        defer { git_config_free(config) }
        try GitError.check(git_config_set_string(config, key, value), "git_config_set_string")
    }

    // MARK: objects

    /// Writes a blob.
    public func createBlob(_ data: Data) throws(GitError) -> ObjectID {
        var oid = git_oid()
        let rc = data.withUnsafeBytes { git_blob_create_from_buffer(&oid, handle, $0.baseAddress, $0.count) }
        try GitError.check(rc, "git_blob_create_from_buffer")
        return ObjectID(oid)
    }

    /// The content of a blob.
    public func blob(_ id: ObjectID) throws(GitError) -> Data {
        var oid = id.oid
        var blob: OpaquePointer?
        try GitError.check(git_blob_lookup(&blob, handle, &oid), "git_blob_lookup")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let raw = git_blob_rawcontent(blob) else { return Data() }
        return Data(bytes: raw, count: size)
    }

    /// Whether the object exists in the object database.
    public func contains(_ id: ObjectID) -> Bool {
        var odb: OpaquePointer?
        guard git_repository_odb(&odb, handle) == 0 else { return false }
        defer { git_odb_free(odb) }
        var oid = id.oid
        return git_odb_exists(odb, &oid) == 1
    }

    /// Reads a commit.
    public func commit(_ id: ObjectID) throws(GitError) -> CommitRecord {
        let commit = try lookupCommit(id)
        defer { git_commit_free(commit) }
        return Self.record(commit)
    }

    private func lookupCommit(_ id: ObjectID) throws(GitError) -> OpaquePointer {
        var oid = id.oid
        var commit: OpaquePointer?
        try GitError.check(git_commit_lookup(&commit, handle, &oid), "git_commit_lookup")
        guard let commit else { throw GitError(function: "git_commit_lookup", code: -1, message: "no commit") }
        return commit
    }

    private static func record(_ commit: OpaquePointer) -> CommitRecord {
        var parents: [ObjectID] = []
        for i in 0..<git_commit_parentcount(commit) {
            if let p = git_commit_parent_id(commit, i) { parents.append(ObjectID(p)) }
        }
        return CommitRecord(
            id: ObjectID(git_commit_id(commit)), tree: ObjectID(git_commit_tree_id(commit)), parents: parents,
            message: git_commit_message(commit).map { String(cString: $0) } ?? "",
            author: person(git_commit_author(commit)), committer: person(git_commit_committer(commit)))
    }

    private static func person(_ sig: UnsafePointer<git_signature>?) -> GitPerson {
        guard let sig else { return GitPerson(name: "", email: "") }
        return GitPerson(
            name: String(cString: sig.pointee.name), email: String(cString: sig.pointee.email),
            time: Date(timeIntervalSince1970: TimeInterval(sig.pointee.when.time)))
    }

    // MARK: trees

    /// The entry at `path` (slash-separated, relative to the root) in `tree`, or nil when there is none. A path
    /// running through a file, symlink or submodule has no entry.
    public func entry(inTree tree: ObjectID, path: String) throws(GitError) -> TreeItem? {
        let treeHandle = try lookupTree(tree)
        defer { git_tree_free(treeHandle) }
        var entry: OpaquePointer?
        let rc = git_tree_entry_bypath(&entry, treeHandle, path)
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try GitError.check(rc, "git_tree_entry_bypath")
        defer { git_tree_entry_free(entry) }
        return Self.item(entry!)
    }

    /// The entries of the tree `tree` (sorted by name as git stores them).
    public func list(tree: ObjectID) throws(GitError) -> [TreeItem] {
        let treeHandle = try lookupTree(tree)
        defer { git_tree_free(treeHandle) }
        var items: [TreeItem] = []
        let count = git_tree_entrycount(treeHandle)
        for i in 0..<count {
            if let e = git_tree_entry_byindex(treeHandle, i) { items.append(Self.item(e)) }
        }
        return items
    }

    private static func item(_ entry: OpaquePointer) -> TreeItem {
        TreeItem(
            name: String(cString: git_tree_entry_name(entry)), id: ObjectID(git_tree_entry_id(entry)),
            kind: TreeItem.kind(filemode: git_tree_entry_filemode(entry).rawValue))
    }

    private func lookupTree(_ id: ObjectID) throws(GitError) -> OpaquePointer {
        var oid = id.oid
        var tree: OpaquePointer?
        try GitError.check(git_tree_lookup(&tree, handle, &oid), "git_tree_lookup")
        return tree!
    }

    /// Writes the tree that is `base` (nil: empty) with `updates` applied, without an index or a work tree.
    public func updatedTree(base: ObjectID?, updates: [TreeUpdate]) throws(GitError) -> ObjectID {
        var baseTree: OpaquePointer?
        if let base { baseTree = try lookupTree(base) }
        defer { if let baseTree { git_tree_free(baseTree) } }
        let paths = updates.map { strdup($0.path) }
        defer { paths.forEach { free($0) } }
        var raw: [git_tree_update] = []
        for (i, update) in updates.enumerated() {
            var u = git_tree_update()
            u.path = UnsafePointer(paths[i])
            switch update {
            case let .upsert(_, blob, executable):
                u.action = GIT_TREE_UPDATE_UPSERT
                u.id = blob.oid
                u.filemode = executable ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB
            case .remove:
                u.action = GIT_TREE_UPDATE_REMOVE
            }
            raw.append(u)
        }
        var out = git_oid()
        if baseTree == nil {
            // git_tree_create_updated needs a baseline: start from the empty tree.
            var builder: OpaquePointer?
            try GitError.check(git_treebuilder_new(&builder, handle, nil), "git_treebuilder_new")
            var empty = git_oid()
            let rc = git_treebuilder_write(&empty, builder)
            git_treebuilder_free(builder)
            try GitError.check(rc, "git_treebuilder_write")
            baseTree = try lookupTree(ObjectID(empty))
        }
        let rc = raw.withUnsafeMutableBufferPointer { git_tree_create_updated(&out, handle, baseTree, $0.count, $0.baseAddress) }
        try GitError.check(rc, "git_tree_create_updated")
        return ObjectID(out)
    }

    // MARK: commits

    /// Writes a commit object (no reference is moved).
    public func createCommit(
        tree: ObjectID, parents: [ObjectID], message: String, author: GitPerson, committer: GitPerson
    ) throws(GitError) -> ObjectID {
        let treeHandle = try lookupTree(tree)
        defer { git_tree_free(treeHandle) }
        var parentHandles: [OpaquePointer?] = []
        defer { parentHandles.forEach { git_commit_free($0) } }
        for p in parents { parentHandles.append(try lookupCommit(p)) }
        let authorSig = try Self.signature(author)
        defer { git_signature_free(authorSig) }
        let committerSig = try Self.signature(committer)
        defer { git_signature_free(committerSig) }
        var out = git_oid()
        let rc = parentHandles.withUnsafeMutableBufferPointer { buffer in
            git_commit_create(&out, handle, nil, authorSig, committerSig, nil, message, treeHandle, buffer.count, buffer.baseAddress)
        }
        try GitError.check(rc, "git_commit_create")
        return ObjectID(out)
    }

    private static func signature(_ person: GitPerson) throws(GitError) -> UnsafeMutablePointer<git_signature> {
        var sig: UnsafeMutablePointer<git_signature>?
        if let time = person.time {
            let offset = Int32(TimeZone.current.secondsFromGMT(for: time) / 60)
            try GitError.check(git_signature_new(&sig, person.name, person.email, git_time_t(time.timeIntervalSince1970), offset), "git_signature_new")
        } else {
            try GitError.check(git_signature_now(&sig, person.name, person.email), "git_signature_now")
        }
        return sig!
    }

    /// Whether `descendant` has `ancestor` in its history (false when they are equal).
    public func isDescendant(_ descendant: ObjectID, of ancestor: ObjectID) throws(GitError) -> Bool {
        var d = descendant.oid, a = ancestor.oid
        return try GitError.check(git_graph_descendant_of(handle, &d, &a), "git_graph_descendant_of") == 1
    }

    /// Commits reachable from `start`, newest first (time order), at most `limit`.
    public func log(from start: ObjectID, limit: Int) throws(GitError) -> [CommitRecord] {
        var walk: OpaquePointer?
        try GitError.check(git_revwalk_new(&walk, handle), "git_revwalk_new")
        defer { git_revwalk_free(walk) }
        try GitError.check(git_revwalk_sorting(walk, GIT_SORT_TIME.rawValue | GIT_SORT_TOPOLOGICAL.rawValue), "git_revwalk_sorting")
        var oid = start.oid
        try GitError.check(git_revwalk_push(walk, &oid), "git_revwalk_push")
        var out: [CommitRecord] = []
        var next = git_oid()
        while out.count < limit {
            let rc = git_revwalk_next(&next, walk)
            if rc == GIT_ITEROVER.rawValue { break }
            try GitError.check(rc, "git_revwalk_next")
            out.append(try commit(ObjectID(next)))
        }
        return out
    }

    /// Walks commits reachable from `start` newest first, calling `visit` until it returns false.
    public func walk(from start: ObjectID, _ visit: (CommitRecord) throws -> Bool) throws {
        var walk: OpaquePointer?
        try GitError.check(git_revwalk_new(&walk, handle), "git_revwalk_new")
        defer { git_revwalk_free(walk) }
        try GitError.check(git_revwalk_sorting(walk, GIT_SORT_TIME.rawValue | GIT_SORT_TOPOLOGICAL.rawValue), "git_revwalk_sorting")
        var oid = start.oid
        try GitError.check(git_revwalk_push(walk, &oid), "git_revwalk_push")
        var next = git_oid()
        while true {
            let rc = git_revwalk_next(&next, walk)
            if rc == GIT_ITEROVER.rawValue { return }
            try GitError.check(rc, "git_revwalk_next")
            if try !visit(try commit(ObjectID(next))) { return }
        }
    }

    // MARK: references

    /// The id a reference resolves to, or nil when it does not exist.
    public func reference(_ name: String) throws(GitError) -> ObjectID? {
        var oid = git_oid()
        let rc = git_reference_name_to_id(&oid, handle, name)
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try GitError.check(rc, "git_reference_name_to_id")
        return ObjectID(oid)
    }

    /// All references whose names match the glob (e.g. `refs/heads/*`), sorted by name.
    public func references(matching glob: String) throws(GitError) -> [(name: String, id: ObjectID)] {
        var iterator: OpaquePointer?
        try GitError.check(git_reference_iterator_glob_new(&iterator, handle, glob), "git_reference_iterator_glob_new")
        defer { git_reference_iterator_free(iterator) }
        var out: [(name: String, id: ObjectID)] = []
        var ref: OpaquePointer?
        while true {
            let rc = git_reference_next(&ref, iterator)
            if rc == GIT_ITEROVER.rawValue { break }
            try GitError.check(rc, "git_reference_next")
            defer { git_reference_free(ref) }
            let name = String(cString: git_reference_name(ref))
            var resolved: OpaquePointer?
            try GitError.check(git_reference_resolve(&resolved, ref), "git_reference_resolve")
            defer { git_reference_free(resolved) }
            if let target = git_reference_target(resolved) { out.append((name, ObjectID(target))) }
        }
        return out.sorted { $0.name < $1.name }
    }

    /// Points `name` at `id` if it currently matches `expected` (compare-and-swap; `.stale` error otherwise).
    public func setReference(_ name: String, to id: ObjectID, expected: ReferenceExpectation, message: String = "promote")
        throws(GitError)
    {
        var oid = id.oid
        var ref: OpaquePointer?
        let rc: Int32
        switch expected {
        case .any: rc = git_reference_create(&ref, handle, name, &oid, 1, message)
        case .absent:
            rc = git_reference_create(&ref, handle, name, &oid, 0, message)
            if rc == GIT_EEXISTS.rawValue {
                throw GitError(function: "git_reference_create", code: rc, message: "\(name) already exists", kind: .stale)
            }
        case let .at(current):
            var cur = current.oid
            rc = git_reference_create_matching(&ref, handle, name, &oid, 1, &cur, message)
            if rc == GIT_ENOTFOUND.rawValue {
                throw GitError(function: "git_reference_create_matching", code: rc, message: "\(name) does not exist", kind: .stale)
            }
        }
        try GitError.check(rc, "git_reference_create")
        git_reference_free(ref)
    }

    /// Deletes a reference; a missing one is not an error.
    public func deleteReference(_ name: String) throws(GitError) {
        let rc = git_reference_remove(handle, name)
        if rc == GIT_ENOTFOUND.rawValue { return }
        try GitError.check(rc, "git_reference_remove")
    }

    // MARK: network

    /// Fetches `refspecs` from `url` (an anonymous remote: nothing is written to the config), pruning local
    /// references that match a refspec's destination but no longer exist remotely when `prune` is set.
    public func fetch(url: String, refspecs: [String], prune: Bool, options: RemoteOptions) throws(GitError) {
        let session = RemoteSession(url: url, options: options)
        try withRemote(url: url) { (remote) throws(GitError) in
            var opts = git_fetch_options()
            try GitError.check(git_fetch_options_init(&opts, UInt32(GIT_FETCH_OPTIONS_VERSION)), "git_fetch_options_init")
            session.install(into: &opts.callbacks)
            opts.prune = prune ? GIT_FETCH_PRUNE : GIT_FETCH_NO_PRUNE
            opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
            opts.update_fetchhead = 0
            let rc = try StringArray.with(refspecs) { specs in
                options.timeouts.apply { git_remote_fetch(remote, specs, &opts, nil) }
            }
            try GitError.check(rc, "git_remote_fetch")
        }
    }

    /// Pushes `refspecs` to `url`. `leases` maps remote reference names to the value they must have when the
    /// server advertises them (nil: absent), checked before anything is sent. Returns the server's per-reference
    /// statuses: a push libgit2 completes can still have been refused (hook, concurrent update).
    public func push(url: String, refspecs: [String], leases: [String: ObjectID?], options: RemoteOptions)
        throws(GitError) -> PushReport
    {
        let session = RemoteSession(url: url, options: options)
        session.leases = leases
        try withRemote(url: url) { (remote) throws(GitError) in
            var opts = git_push_options()
            try GitError.check(git_push_options_init(&opts, UInt32(GIT_PUSH_OPTIONS_VERSION)), "git_push_options_init")
            session.install(into: &opts.callbacks)
            opts.pb_parallelism = 1
            let rc = try StringArray.with(refspecs) { specs in
                options.timeouts.apply { git_remote_push(remote, specs, &opts) }
            }
            if rc < 0, let lease = session.leaseFailure {
                _ = TimeoutStream.takeTimeoutFlag()
                throw GitError(function: "git_remote_push", code: rc, message: lease, kind: .stale)
            }
            try GitError.check(rc, "git_remote_push")
        }
        return PushReport(statuses: session.statuses, serverMessages: session.serverMessages)
    }

    private func withRemote(url: String, _ body: (OpaquePointer) throws(GitError) -> Void) throws(GitError) {
        _ = TimeoutStream.takeTimeoutFlag()
        var remote: OpaquePointer?
        var options = git_remote_create_options()
        try GitError.check(git_remote_create_options_init(&options, UInt32(GIT_REMOTE_CREATE_OPTIONS_VERSION)), "git_remote_create_options_init")
        options.repository = handle
        // `url.<base>.insteadOf` is not applied: Promote reads no user or system config, and libgit2 1.5 looks it up
        // with a regular expression that leaks pcre2's match data (about 20 KiB) for every config entry it does not
        // match, on every fetch and push (found by a soak under heaptrack).
        options.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF.rawValue
        try GitError.check(git_remote_create_with_opts(&remote, url, &options), "git_remote_create_with_opts")
        defer { git_remote_free(remote) }
        try body(remote!)
    }
}
