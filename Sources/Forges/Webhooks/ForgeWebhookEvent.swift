/// One forge webhook delivery, decoded: what the service acts on (merge and close of the bot's pull requests).
public enum ForgeWebhookEvent: Sendable, Hashable {
    /// A pull request (merge request) changed.
    case pullRequest(PullRequestEvent)
    /// The forge's connectivity check (GitHub `ping`, Bitbucket `diagnostics:ping`).
    case ping
    /// A well-formed delivery Promote does not act on; `reason` says which event it was.
    case ignored(reason: String)
}
