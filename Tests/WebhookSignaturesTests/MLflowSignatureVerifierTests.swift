import Testing
import WebhookSignatures

/// MLflow 3.17.2 deliveries captured on loopback: the signed ones verify at their own timestamp, the unsigned ones
/// have no signature header.
@Suite struct MLflowSignatureVerifierTests {
    static let signed = WebhookFixtures.mlflowNames.filter { !$0.contains("-unsigned") }
    static let unsigned = WebhookFixtures.mlflowNames.filter { $0.contains("-unsigned") }
    static let signatureHeader = "X-MLflow-Signature"

    struct Delivery {
        var secret: String?
        var headers: [String: String]
        var body: [UInt8]
        var timestamp: Int
    }

    func delivery(_ name: String) throws -> Delivery {
        let capture = try WebhookFixtures.mlflow(name)
        let headers = WebhookHeaders.lowercasingNames(capture.request.headers)
        let timestamp = try #require(headers[MLflowSignatureVerifier.Header.timestamp].flatMap { Int($0) })
        return Delivery(secret: capture.capture.secret, headers: headers, body: Array(capture.request.body.utf8), timestamp: timestamp)
    }

    @Test func thirteenSignedAndFourUnsigned() {
        #expect(Self.signed.count == 13)
        #expect(Self.unsigned.count == 4)
    }

    @Test(arguments: signed)
    func signedCaptureVerifiesAtItsTimestamp(_ name: String) throws {
        let d = try delivery(name)
        let verifier = try MLflowSignatureVerifier(secret: try #require(d.secret))
        try verifier.verify(headers: d.headers, body: d.body, now: d.timestamp)
        try verifier.verify(headers: d.headers, body: d.body, now: d.timestamp + 300)
        let stale = try #require(throws: WebhookVerificationFailure.self) {
            try verifier.verify(headers: d.headers, body: d.body, now: d.timestamp + 3600)
        }
        #expect(stale == .timestampTooOld(header: "X-MLflow-Timestamp", age: 3600, tolerance: 300))
    }

    @Test(arguments: signed)
    func tamperedOrWronglyKeyedCaptureIsRefused(_ name: String) throws {
        let d = try delivery(name)
        let secret = try #require(d.secret)
        var body = d.body
        body[body.count / 2] ^= 0x01
        #expect(throws: WebhookVerificationFailure.noSignatureMatches(header: Self.signatureHeader)) {
            try MLflowSignatureVerifier(secret: secret).verify(headers: d.headers, body: body, now: d.timestamp)
        }
        let wrong = try #require(throws: WebhookVerificationFailure.self) {
            try MLflowSignatureVerifier(secret: secret + "x").verify(headers: d.headers, body: d.body, now: d.timestamp)
        }
        #expect(wrong == .noSignatureMatches(header: Self.signatureHeader))
        #expect(!wrong.description.contains(secret))
        #expect(!wrong.description.contains(String(d.headers[MLflowSignatureVerifier.Header.signature]?.dropFirst(3) ?? "-")))
    }

    @Test(arguments: unsigned)
    func unsignedCaptureHasNoSignatureHeader(_ name: String) throws {
        let d = try delivery(name)
        #expect(d.secret == nil)
        let verifier = try MLflowSignatureVerifier(secret: "promote-test-secret-not-for-production")
        let failure = try #require(throws: WebhookVerificationFailure.self) {
            try verifier.verify(headers: d.headers, body: d.body, now: d.timestamp)
        }
        #expect(failure == .missingHeaders([Self.signatureHeader]))
        #expect(failure.description == "missing header X-MLflow-Signature")
    }

    @Test func signatureHeaderFormat() throws {
        let d = try delivery("03-model_version.created-v1-runs-uri.json")
        let verifier = try MLflowSignatureVerifier(secret: try #require(d.secret))
        let good = try #require(d.headers[MLflowSignatureVerifier.Header.signature])
        let cases: [(String, WebhookVerificationFailure)] = [
            ("v1a," + good.dropFirst(3), .noSupportedSignature(header: Self.signatureHeader, expected: "v1")),
            (good + " " + good, .malformedHeader(header: Self.signatureHeader, expected: "v1,<base64 HMAC-SHA256>, one signature")),
            ("v1,***", .malformedHeader(header: Self.signatureHeader, expected: "v1,<base64 HMAC-SHA256>, one signature")),
        ]
        for (header, expected) in cases {
            var headers = d.headers
            headers[MLflowSignatureVerifier.Header.signature] = header
            #expect(throws: expected) { try verifier.verify(headers: headers, body: d.body, now: d.timestamp) }
        }
        #expect(throws: WebhookSecretError.malformed(index: 0, reason: "is empty")) { try MLflowSignatureVerifier(secret: "") }
    }

    @Test func mlflowSignaturesAreNotStandardWebhooks() throws {
        // The same construction, but the key is the raw string: a whsec_ verifier keyed on the same bytes still refuses.
        let d = try delivery("03-model_version.created-v1-runs-uri.json")
        let secret = try #require(d.secret)
        let asStandard = "whsec_" + WireEncoding.base64(Array(secret.utf8.prefix(24)))
        let verifier = try StandardWebhookVerifier(secrets: [asStandard])
        #expect(throws: WebhookVerificationFailure.noSignatureMatches(header: "webhook-signature")) {
            try verifier.verify(
                id: d.headers["x-mlflow-delivery-id"], timestamp: d.headers["x-mlflow-timestamp"],
                signatureHeader: d.headers["x-mlflow-signature"], body: d.body, now: d.timestamp)
        }
        // Keyed with all of the secret's bytes, the Standard Webhooks verifier agrees with MLflow.
        let full = try StandardWebhookVerifier(secrets: ["whsec_" + WireEncoding.base64(Array(secret.utf8))])
        try full.verify(
            id: d.headers["x-mlflow-delivery-id"], timestamp: d.headers["x-mlflow-timestamp"],
            signatureHeader: d.headers["x-mlflow-signature"], body: d.body, now: d.timestamp)
    }
}
