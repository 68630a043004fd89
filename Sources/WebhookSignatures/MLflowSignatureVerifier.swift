/// Verifies MLflow model-registry webhook deliveries (MLflow 3.x), as accepted on `POST /v1/webhooks/mlflow`.
///
/// MLflow signs like Standard Webhooks, with three differences: the key is the secret string's raw UTF-8 bytes
/// (no `whsec_`, no base64), the headers are `X-MLflow-Delivery-Id`, `X-MLflow-Timestamp` and
/// `X-MLflow-Signature`, and the signature header holds exactly one `v1,<base64>` entry. MLflow itself sets no
/// replay window; this verifier applies the same 5 minutes as Standard Webhooks.
public struct MLflowSignatureVerifier: Sendable {
    /// The header names, lowercased (as looked up in ``verify(headers:body:now:)``).
    public enum Header {
        /// `X-MLflow-Delivery-Id`: a uuid4 per (event, webhook).
        public static let deliveryID = "x-mlflow-delivery-id"
        /// `X-MLflow-Timestamp`: Unix seconds.
        public static let timestamp = "x-mlflow-timestamp"
        /// `X-MLflow-Signature`: `v1,<base64>`; absent when the webhook has no secret.
        public static let signature = "x-mlflow-signature"
    }

    private static let names = (deliveryID: "X-MLflow-Delivery-Id", timestamp: "X-MLflow-Timestamp", signature: "X-MLflow-Signature")

    private let key: [UInt8]
    private let window: ReplayWindow

    /// Makes a verifier for the secret the MLflow webhook was created with.
    /// - Parameters:
    ///   - secret: the secret string, used as-is as the HMAC key.
    ///   - tolerance: how many seconds `X-MLflow-Timestamp` may lie in the past or the future.
    /// - Throws: ``WebhookSecretError/malformed(index:reason:)`` when the secret is empty.
    public init(secret: String, tolerance: Int = StandardWebhookVerifier.defaultTolerance) throws(WebhookSecretError) {
        guard !secret.isEmpty else { throw .malformed(index: 0, reason: "is empty") }
        self.key = Array(secret.utf8)
        self.window = ReplayWindow(tolerance: tolerance)
    }

    /// Checks one delivery.
    /// - Parameters:
    ///   - deliveryID: the `X-MLflow-Delivery-Id` header, `nil` when absent.
    ///   - timestamp: the `X-MLflow-Timestamp` header, `nil` when absent.
    ///   - signatureHeader: the `X-MLflow-Signature` header, `nil` when absent (an unsigned webhook).
    ///   - body: the body bytes exactly as received.
    ///   - now: the current time in Unix seconds.
    /// - Throws: ``WebhookVerificationFailure`` saying why the delivery is refused.
    public func verify(deliveryID: String?, timestamp: String?, signatureHeader: String?, body: [UInt8], now: Int)
        throws(WebhookVerificationFailure)
    {
        let names = Self.names
        let missing = [(names.deliveryID, deliveryID), (names.timestamp, timestamp), (names.signature, signatureHeader)]
            .filter { $0.1?.isEmpty ?? true }.map(\.0)
        guard missing.isEmpty, let deliveryID, let timestamp, let signatureHeader else { throw .missingHeaders(missing) }
        _ = try window.check(timestamp, header: names.timestamp, now: now)

        let value = signatureHeader.trimmingSpaces
        guard value.hasPrefix("v1,") else { throw .noSupportedSignature(header: names.signature, expected: "v1") }
        guard !value.contains(" "), let candidate = WireEncoding.bytes(fromBase64: value.dropFirst(3)) else {
            throw .malformedHeader(header: names.signature, expected: "v1,<base64 HMAC-SHA256>, one signature")
        }
        let message = Array("\(deliveryID).\(timestamp).".utf8) + body
        guard HMACSHA256.isValid(candidate, for: message, key: key) else { throw .noSignatureMatches(header: names.signature) }
    }

    /// Checks one delivery, reading the three `X-MLflow-*` headers from `headers`.
    /// - Parameters:
    ///   - headers: the request headers, **names lowercased** (`x-mlflow-signature`).
    ///   - body: the body bytes exactly as received.
    ///   - now: the current time in Unix seconds.
    /// - Throws: ``WebhookVerificationFailure`` saying why the delivery is refused.
    public func verify(headers: [String: String], body: [UInt8], now: Int) throws(WebhookVerificationFailure) {
        try verify(
            deliveryID: headers[Header.deliveryID], timestamp: headers[Header.timestamp],
            signatureHeader: headers[Header.signature], body: body, now: now)
    }
}
