public import Promotion

// TEMPORARY (removed by the branch that builds commit statuses for issue 15): the four forge clients do not yet
// set or read commit statuses; they say so instead of pretending. Nothing calls these until `checks:` is built.

private func notYetBuilt(_ forge: String) -> ForgeFailure {
    ForgeFailure(kind: .unexpectedResponse, request: "\(forge) commit statuses", status: nil, message: "commit statuses are not built for \(forge) yet")
}

extension GitHubClient {
    public func setCommitStatus(_ status: CommitStatus, on sha: String) async throws { throw notYetBuilt("GitHub") }
    public func commitChecks(on sha: String) async throws -> [CommitStatus] { throw notYetBuilt("GitHub") }
}

extension GitLabClient {
    public func setCommitStatus(_ status: CommitStatus, on sha: String) async throws { throw notYetBuilt("GitLab") }
    public func commitChecks(on sha: String) async throws -> [CommitStatus] { throw notYetBuilt("GitLab") }
}

extension GiteaClient {
    public func setCommitStatus(_ status: CommitStatus, on sha: String) async throws { throw notYetBuilt("Gitea") }
    public func commitChecks(on sha: String) async throws -> [CommitStatus] { throw notYetBuilt("Gitea") }
}

extension BitbucketClient {
    public func setCommitStatus(_ status: CommitStatus, on sha: String) async throws { throw notYetBuilt("Bitbucket") }
    public func commitChecks(on sha: String) async throws -> [CommitStatus] { throw notYetBuilt("Bitbucket") }
}
