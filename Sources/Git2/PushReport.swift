/// What the server said about each reference of a push that libgit2 completed (return code 0).
public struct PushReport: Sendable, Hashable {
    /// Remote reference name -> nil when updated, or the server's reason for refusing it.
    public var statuses: [String: String?]
    /// Messages the server sent on the side band (hook output, "remote: ..."), in order.
    public var serverMessages: [String]

    public init(statuses: [String: String?], serverMessages: [String]) {
        self.statuses = statuses
        self.serverMessages = serverMessages
    }

    /// True when every reference was reported and none was refused.
    public var succeeded: Bool { !statuses.isEmpty && statuses.values.allSatisfy { $0 == nil } }

    /// The refused references and their reasons.
    public var rejections: [String: String] {
        statuses.compactMapValues { $0 }
    }
}
