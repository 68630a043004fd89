public import Foundation

/// One version of one model proposed to one environment, and how far it got (DESIGN.md section 1a). There is one
/// per (model, version, environment); its ``state`` only moves forward.
public struct Proposal: Sendable, Hashable, Codable {
    public var model: String
    public var version: String
    public var environment: String
    public var uri: String
    public var state: ProposalState
    /// The commit that carries it (pushed, the bot branch's head, or the merge).
    public var commit: String?
    public var pullRequestNumber: Int?
    public var pullRequestURL: String?
    /// The promotion that last acted on it.
    public var promotionID: String?
    /// Why it is rejected, failed or superseded; or the last thing that happened to it.
    public var detail: String?
    /// True once Promote told the pull request that a person's commit on its branch is left alone (said once).
    public var editNoticePosted: Bool
    public var updatedAt: Date
    /// When it first went live (set by the store on the first move to `live` or `verified`, never changed after).
    public var liveAt: Date?
    /// When it was verified (set once by the store: soak is counted from here).
    public var verifiedAt: Date?
    /// How far the environment's `verify` window got while it is live (nil: no sample yet).
    public var verification: VerificationProgress?

    public init(
        model: String, version: String, environment: String, uri: String, state: ProposalState, commit: String? = nil,
        pullRequestNumber: Int? = nil, pullRequestURL: String? = nil, promotionID: String? = nil, detail: String? = nil,
        editNoticePosted: Bool = false, updatedAt: Date, liveAt: Date? = nil, verifiedAt: Date? = nil,
        verification: VerificationProgress? = nil
    ) {
        self.model = model
        self.version = version
        self.environment = environment
        self.uri = uri
        self.state = state
        self.commit = commit
        self.pullRequestNumber = pullRequestNumber
        self.pullRequestURL = pullRequestURL
        self.promotionID = promotionID
        self.detail = detail
        self.editNoticePosted = editNoticePosted
        self.updatedAt = updatedAt
        self.liveAt = liveAt
        self.verifiedAt = verifiedAt
        self.verification = verification
    }
}
