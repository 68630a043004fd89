import Foundation
import GitOpsRepo
import Promotion
import TestSupport

/// Shared helpers for the GitOpsRepo tests.
enum Kit {
    static let bot = Signature(name: "promote-bot", email: "bot@example.com")
    static let user = "bot"
    static let password = "s3cret-t0ken"
    static let env = ["PROMOTE_GIT_USER": user, "PROMOTE_GIT_TOKEN": password, "HOME": "/nonexistent"]

    static func config(_ url: String, cache: String, credentials: GitCredentials = .none, timeouts: GitTimeouts = GitTimeouts())
        -> GitRepositoryConfig
    {
        GitRepositoryConfig(url: url, credentials: credentials, cacheDirectory: cache, timeouts: timeouts, committer: bot)
    }

    static let https = GitCredentials.https(usernameEnv: "PROMOTE_GIT_USER", passwordEnv: "PROMOTE_GIT_TOKEN")

    /// A plan that sets `path` to `content` with provenance trailers, or nothing when it is already there.
    static func setting(_ path: String, to content: String, version: String = "1.0.0") -> @Sendable (any RepositorySnapshot) throws -> CommitRequest? {
        { snapshot in
            if case let .file(data) = try snapshot.entry(at: path), data == Data(content.utf8) { return nil }
            return CommitRequest(
                message: "promote jukebox \(version) to staging\n\nPromote-Model: jukebox\nPromote-Version: \(version)\nPromote-Environment: staging\n",
                changes: [path: Data(content.utf8)], author: bot)
        }
    }
}
