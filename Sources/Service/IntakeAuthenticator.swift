internal import Crypto
internal import Foundation
public import Promotion
internal import WebhookSignatures

/// Proves who sent an intake request: a Standard Webhooks signature (`webhook-id`, `webhook-timestamp`,
/// `webhook-signature`; several secrets for rotation; 5-minute window) or `Authorization: Bearer <token>`.
/// Comparisons run in constant time, and no failure message repeats a secret or a signature.
public struct IntakeAuthenticator: Sendable {
    let verifier: StandardWebhookVerifier?
    let bearer: BearerTokenVerifier?

    /// Reads the secrets and tokens from the environment variables the config names. A variable that is named but
    /// unset or empty is an error, as is a malformed `whsec_` secret.
    public init(settings: ServiceSettings, environment: [String: String]) throws(ServiceSetupError) {
        var secrets: [String] = []
        for name in settings.intakeSecretsEnv {
            guard let value = environment[name], !value.isEmpty else {
                throw ServiceSetupError("service.intake.secretsEnv names \(name), which is not set")
            }
            secrets.append(value)
        }
        var tokens: [String] = []
        for name in settings.intakeTokensEnv {
            guard let value = environment[name], !value.isEmpty else {
                throw ServiceSetupError("service.intake.tokensEnv names \(name), which is not set")
            }
            tokens.append(value)
        }
        do {
            verifier = secrets.isEmpty ? nil : try StandardWebhookVerifier(secrets: secrets)
        } catch {
            throw ServiceSetupError("service.intake.secretsEnv: \(error) (a Standard Webhooks secret is whsec_<base64>)")
        }
        do { bearer = tokens.isEmpty ? nil : try BearerTokenVerifier(tokens: tokens) } catch {
            throw ServiceSetupError("service.intake.tokensEnv: \(error)")
        }
    }

    /// True when neither secrets nor tokens are configured.
    public var isOpen: Bool { verifier == nil && bearer == nil }

    /// Refuses before the body is read what cannot succeed: no credentials at all (unless the intake is open on
    /// purpose), an unknown or wrong bearer token, or a signed request missing one of its three headers.
    /// Every credential presented must hold: a bearer token beside a bad signature is refused, not let through.
    func checkHeaders(_ headers: [String: String], allowOpen: Bool) throws(Problem) {
        let headers = Self.svixAliased(headers)
        let signed = headers["webhook-signature"] != nil || headers["webhook-id"] != nil
        if signed {
            guard verifier != nil else {
                throw .unauthorized("signed requests are not accepted here (service.intake.secretsEnv is not set)")
            }
            let missing = ["webhook-id", "webhook-timestamp", "webhook-signature"].filter { (headers[$0] ?? "").isEmpty }
            guard missing.isEmpty else { throw .unauthorized("\(WebhookVerificationFailure.missingHeaders(missing))") }
        }
        if let authorization = headers["authorization"] {
            guard let bearer else { throw .unauthorized("bearer tokens are not accepted here (service.intake.tokensEnv is not set)") }
            do { try bearer.verify(authorization: authorization) } catch { throw .unauthorized("\(error)") }
            return
        }
        if signed || (allowOpen && isOpen) { return }
        throw .unauthorized("send a Standard Webhooks signature (webhook-id, webhook-timestamp, webhook-signature) or Authorization: Bearer")
    }

    /// Checks a request. Returns the delivery (for signed requests) so that a replay finds its promotion.
    /// `headers` are lowercased.
    func authenticate(headers: [String: String], body: [UInt8], now: Date, allowOpen: Bool) throws(Problem) -> Delivery? {
        let headers = Self.svixAliased(headers)
        try checkHeaders(headers, allowOpen: allowOpen)
        // Bearer tokens were verified from the headers; a signature needs the body.
        guard let verifier, headers["webhook-signature"] != nil || headers["webhook-id"] != nil else { return nil }
        do {
            try verifier.verify(
                id: headers["webhook-id"], timestamp: headers["webhook-timestamp"], signatureHeader: headers["webhook-signature"],
                body: body, now: Int(now.timeIntervalSince1970))
        } catch {
            throw .unauthorized("\(error)")
        }
        return Delivery(id: "webhook:" + (headers["webhook-id"] ?? ""), digest: Self.digest(body))
    }

    /// Svix, which wrote the Standard Webhooks spec, sends the same headers named `svix-id`, `svix-timestamp` and
    /// `svix-signature`: they are read as `webhook-*` when those are absent.
    static func svixAliased(_ headers: [String: String]) -> [String: String] {
        var headers = headers
        for name in ["id", "timestamp", "signature"] where headers["webhook-\(name)"] == nil {
            if let value = headers["svix-\(name)"] { headers["webhook-\(name)"] = value }
        }
        return headers
    }

    /// SHA-256 of a body, hex.
    static func digest(_ body: [UInt8]) -> String {
        SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
    }
}
