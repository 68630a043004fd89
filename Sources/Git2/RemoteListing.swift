internal import Clibgit2

/// ls-remote: the references a remote advertises, without a local repository.
public enum RemoteListing {
    /// Connects to `url` for fetching and lists its references.
    public static func list(url: String, options: RemoteOptions) throws(GitError) -> [RemoteHead] {
        Git2.initialize()
        _ = TimeoutStream.takeTimeoutFlag()
        let session = RemoteSession(url: url, options: options)
        var remote: OpaquePointer?
        try GitError.check(git_remote_create_detached(&remote, url), "git_remote_create_detached")
        defer { git_remote_free(remote) }
        var callbacks = git_remote_callbacks()
        try GitError.check(git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION)), "git_remote_init_callbacks")
        session.install(into: &callbacks)
        let rc = options.timeouts.apply { git_remote_connect(remote, GIT_DIRECTION_FETCH, &callbacks, nil, nil) }
        try GitError.check(rc, "git_remote_connect")
        defer { git_remote_disconnect(remote) }
        var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
        var count = 0
        try GitError.check(git_remote_ls(&heads, &count, remote), "git_remote_ls")
        var out: [RemoteHead] = []
        for i in 0..<count {
            guard let head = heads?[i] else { continue }
            out.append(RemoteHead(
                name: String(cString: head.pointee.name), id: ObjectID(head.pointee.oid),
                symrefTarget: head.pointee.symref_target.map { String(cString: $0) }))
        }
        return out
    }
}
