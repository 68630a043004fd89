internal import Forges
internal import HTTPTypes
internal import Foundation
public import Promotion
internal import WebhookSignatures

/// `POST /v1/webhooks/{github|gitlab|gitea|forgejo|bitbucket}`: verifies the forge's signature with the secret of
/// an environment on that forge (`forge.webhookSecretEnv`), reads which pull request changed, and hands it to
/// ``MergeFollowUp``, which asks the forge for the real state before recording anything.
///
/// The signature header is checked before the body is read, and the body is read only up to ``maxBodyBytes``: an
/// unsigned or oversized delivery costs no memory.
public struct ForgeWebhookIntake: Sendable {
    /// The largest delivery read. A pull request event is a few kilobytes; GitHub's own cap (25 MB) is far more
    /// than any merge or close event needs.
    public static let maxBodyBytes = 1 << 20

    let config: PromoteConfig
    /// The webhook secrets, by the environment variable that named them (read once, never printed).
    let secrets: [String: Secret]
    let followUp: MergeFollowUp

    public init(config: PromoteConfig, environment: [String: String], followUp: MergeFollowUp) {
        self.config = config
        var secrets: [String: Secret] = [:]
        for name in Set(config.environments.compactMap(\.forge.webhookSecretEnv)) {
            if let value = environment[name], !value.isEmpty { secrets[name] = Secret(value) }
        }
        self.secrets = secrets
        self.followUp = followUp
    }

    /// Handles one delivery; returns (status, detail) for a 200 answer. `readBody` is called only after the
    /// headers passed (see ``ForgeSignatureVerifier/checkHeaders(_:)``).
    func handle(forge name: String, headers: [String: String], readBody: () async throws -> [UInt8]) async throws -> (String, String) {
        guard let kind = ForgeKind(rawValue: name.lowercased()) else {
            throw Problem(.notFound, "unknown-forge", "no such forge", detail: "use github, gitlab, gitea, forgejo or bitbucket")
        }
        let environments = config.environments.filter { $0.mode == .pullRequest && Self.matches($0.forge.kind, kind) }
        guard !environments.isEmpty else {
            throw Problem(.notFound, "unknown-forge", "no environment opens pull requests on \(name)")
        }
        let scheme = Self.scheme(kind)
        let verifiers = Set(environments.compactMap(\.forge.webhookSecretEnv)).compactMap { secrets[$0] }
            .compactMap { try? ForgeSignatureVerifier(scheme: scheme, secret: $0.exposed) }
        guard !verifiers.isEmpty else {
            throw Problem.unauthorized("no webhook secret is configured for \(name): set forge.webhookSecretEnv")
        }
        // Before the body: the signature header must be there and well-formed (a GitLab token must match).
        let plausible = verifiers.filter { (try? $0.checkHeaders(headers)) != nil }
        guard !plausible.isEmpty else { throw Problem.unauthorized("the \(name) webhook carries no valid signature or token header") }
        let body = try await readBody()
        guard plausible.contains(where: { (try? $0.verify(headers: headers, body: body)) != nil }) else {
            throw Problem.unauthorized("the \(name) webhook signature or token does not match")
        }
        let event: ForgeWebhookEvent
        do { event = try ForgeWebhookDecoder.decode(kind: kind, headers: headers, body: body) } catch {
            if case .malformedJSON = error {
                throw Problem(.badRequest, "malformed-body", "the \(name) webhook is not JSON", detail: error.description)
            }
            throw Problem(
                .unprocessableContent, "invalid-webhook", "the \(name) webhook cannot be read",
                errors: [FieldProblem(field: error.field ?? "", message: error.description)])
        }
        switch event {
        case .ping:
            return ("pong", "the webhook reaches promote")
        case .ignored(let reason):
            return ("ignored", reason)
        case .pullRequest(let change):
            guard change.action == .merged || change.action == .closed else {
                return ("ignored", "pull request #\(change.number) was not merged or closed")
            }
            let candidates = environments.filter { env in
                env.forge.project.map { $0.lowercased() == change.repository.lowercased() } ?? true
            }
            do {
                let (outcome, detail) = try await followUp.pullRequestChanged(
                    number: change.number, in: candidates,
                    actor: change.actor.flatMap { InputRules.textProblem($0, limit: 100) == nil ? $0 : nil })
                return (outcome.rawValue, detail)
            } catch {
                throw Problem(.badGateway, "forge-unavailable", "the forge could not be asked about pull request #\(change.number)", detail: "\(error)")
            }
        }
    }

    static func matches(_ setting: ForgeSettings.Kind, _ kind: ForgeKind) -> Bool {
        setting.rawValue == kind.rawValue || (setting == .forgejo && kind == .gitea) || (setting == .gitea && kind == .forgejo)
    }

    static func scheme(_ kind: ForgeKind) -> ForgeSignatureVerifier.Scheme {
        switch kind {
        case .github: .github
        case .gitlab: .gitlab
        case .gitea: .gitea
        case .forgejo: .forgejo
        case .bitbucket: .bitbucket
        }
    }
}
