/// Verifies deliveries signed by the Standard Webhooks symmetric scheme (`v1`, HMAC-SHA256), as accepted on
/// `POST /v1/events`.
///
/// The signed content is `webhook-id`, `.`, `webhook-timestamp`, `.` and the raw body bytes. The
/// `webhook-signature` header holds one or more space-separated `v1,<base64>` entries (several during a key
/// rotation); other versions such as `v1a` (ed25519) are skipped. Several secrets may be configured at once, so a
/// sender can rotate its key: a delivery passes when any `v1` entry matches under any secret.
///
/// This checks the signature and the replay window only; refusing a `webhook-id` seen before is the caller's job.
public struct StandardWebhookVerifier: Sendable {
    /// The header names, lowercased.
    public enum Header {
        /// The delivery id, also the idempotency key.
        public static let id = "webhook-id"
        /// The Unix-seconds timestamp of the delivery.
        public static let timestamp = "webhook-timestamp"
        /// The space-separated signatures.
        public static let signature = "webhook-signature"
    }

    /// The replay window of the reference implementations: 5 minutes either way.
    public static let defaultTolerance = 300

    private let keys: [[UInt8]]
    private let window: ReplayWindow

    /// Makes a verifier from `whsec_<base64>` secrets.
    /// - Parameters:
    ///   - secrets: one or more secrets, each `whsec_` followed by the standard base64 of a 24 to 64 byte key.
    ///   - tolerance: how many seconds a timestamp may lie in the past or the future.
    /// - Throws: ``WebhookSecretError`` naming the first unusable secret by its index, or when `secrets` is empty.
    public init(secrets: [String], tolerance: Int = StandardWebhookVerifier.defaultTolerance) throws(WebhookSecretError) {
        guard !secrets.isEmpty else { throw .noSecrets }
        var keys: [[UInt8]] = []
        for (index, secret) in secrets.enumerated() {
            keys.append(try Self.key(fromSecret: secret, index: index))
        }
        self.keys = keys
        self.window = ReplayWindow(tolerance: tolerance)
    }

    /// Checks one delivery.
    /// - Parameters:
    ///   - id: the `webhook-id` header, `nil` when absent.
    ///   - timestamp: the `webhook-timestamp` header, `nil` when absent.
    ///   - signatureHeader: the `webhook-signature` header, `nil` when absent.
    ///   - body: the body bytes exactly as received.
    ///   - now: the current time in Unix seconds.
    /// - Throws: ``WebhookVerificationFailure`` saying why the delivery is refused.
    public func verify(id: String?, timestamp: String?, signatureHeader: String?, body: [UInt8], now: Int)
        throws(WebhookVerificationFailure)
    {
        let missing = [(Header.id, id), (Header.timestamp, timestamp), (Header.signature, signatureHeader)]
            .filter { $0.1?.isEmpty ?? true }.map(\.0)
        guard missing.isEmpty, let id, let timestamp, let signatureHeader else { throw .missingHeaders(missing) }
        _ = try window.check(timestamp, header: Header.timestamp, now: now)

        let candidates = signatureHeader.split(separator: " ", omittingEmptySubsequences: true).compactMap { entry -> Substring? in
            entry.hasPrefix("v1,") ? entry.dropFirst(3) : nil
        }
        guard !candidates.isEmpty else { throw .noSupportedSignature(header: Header.signature, expected: "v1") }

        let message = Array("\(id).\(timestamp).".utf8) + body
        let expected = keys.map { HMACSHA256.authenticationCode(for: message, key: $0) }
        // Every candidate is compared with every expected code, with no early exit, so the timing does not tell
        // which secret or which entry matched.
        var matched = false
        for candidate in candidates {
            let bytes = WireEncoding.bytes(fromBase64: candidate) ?? []
            for code in expected where ConstantTime.equals(code, bytes) { matched = true }
        }
        guard matched else { throw .noSignatureMatches(header: Header.signature) }
    }

    /// Checks one delivery, reading the three `webhook-*` headers from `headers`.
    /// - Parameters:
    ///   - headers: the request headers, **names lowercased** (`webhook-id`, not `Webhook-Id`).
    ///   - body: the body bytes exactly as received.
    ///   - now: the current time in Unix seconds.
    /// - Throws: ``WebhookVerificationFailure`` saying why the delivery is refused.
    public func verify(headers: [String: String], body: [UInt8], now: Int) throws(WebhookVerificationFailure) {
        try verify(
            id: headers[Header.id], timestamp: headers[Header.timestamp], signatureHeader: headers[Header.signature],
            body: body, now: now)
    }

    /// The `webhook-signature` value a sender would attach: `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body`.
    /// For tests and for signing deliveries Promote sends.
    /// - Parameters:
    ///   - id: the `webhook-id`.
    ///   - timestamp: the `webhook-timestamp`, Unix seconds.
    ///   - body: the exact body bytes.
    ///   - secret: a `whsec_<base64>` secret.
    /// - Throws: ``WebhookSecretError`` when the secret is unusable.
    public static func signature(id: String, timestamp: Int, body: [UInt8], secret: String) throws(WebhookSecretError) -> String {
        let key = try key(fromSecret: secret, index: 0)
        let code = HMACSHA256.authenticationCode(for: Array("\(id).\(timestamp).".utf8) + body, key: key)
        return "v1," + WireEncoding.base64(code)
    }

    private static func key(fromSecret secret: String, index: Int) throws(WebhookSecretError) -> [UInt8] {
        guard secret.hasPrefix("whsec_") else { throw .malformed(index: index, reason: "does not start with whsec_") }
        guard let key = WireEncoding.bytes(fromBase64: secret.dropFirst(6)) else {
            throw .malformed(index: index, reason: "is not whsec_ followed by standard base64")
        }
        guard (24...64).contains(key.count) else {
            throw .malformed(index: index, reason: "decodes to \(key.count) bytes; Standard Webhooks keys are 24 to 64 bytes")
        }
        return key
    }
}
