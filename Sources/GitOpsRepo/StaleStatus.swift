/// Recognises a server's ways of saying "your view of the branch is out of date" in a per-reference push status.
enum StaleStatus {
    static let phrases = [
        "failed to update ref",              // git receive-pack when the ref moved after the advertisement
        "cannot lock ref",                   // git: "cannot lock ref 'refs/heads/main': is at X but expected Y"
        "failed to lock",
        "but expected",
        "non-fast-forward", "non-fast forward", "not a fast-forward", "not fast-forward", "nonfastforward",
        "fetch first",
        "stale info",
        "incorrect old value provided",      // GitLab (Gitaly)
        "reference already exists",
        "already exists",
        "tip of your current branch is behind",
        "the remote contains work",
        "ref changed",
        "lease broken",
    ]

    static func isStale(_ status: String) -> Bool {
        let lower = status.lowercased()
        return phrases.contains { lower.contains($0) }
    }
}
