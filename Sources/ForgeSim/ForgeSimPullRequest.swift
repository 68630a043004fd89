/// A pull request as the stand-in stores it (read it through ``ForgeSimServer/pullRequests(project:)``).
public struct ForgeSimPullRequest: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, Codable { case open, closed, merged }

    public var number: Int
    public var id: Int
    public var title: String
    public var body: String
    public var head: String
    public var base: String
    public var state: State
    public var draft: Bool
    public var labels: [String]
    public var reviewers: [String]
    public var teamReviewers: [String]
    public var comments: [ForgeSimComment]
    public var mergeCommitSHA: String?
    public var headSHA: String
    public var baseSHA: String
    public var createdAt: String
    public var updatedAt: String
    public var closedAt: String?
    public var mergedAt: String?
    /// Who merged it (the bot through the API, a person through `/_sim/pulls/N/merge?by=LOGIN`).
    public var mergedBy: String? = nil
    /// Who closed it without merging.
    public var closedBy: String? = nil
}

/// A comment on a pull request.
public struct ForgeSimComment: Sendable, Hashable, Codable {
    public var id: Int
    public var body: String
    public var createdAt: String
}
