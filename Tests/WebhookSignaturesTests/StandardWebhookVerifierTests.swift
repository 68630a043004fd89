import Testing
import WebhookSignatures

/// Standard Webhooks: every vector of vectors.json, rotation, secrets and header problems.
@Suite struct StandardWebhookVerifierTests {
    typealias Header = StandardWebhookVerifier.Header
    static let accepted = WebhookFixtures.vectors.vectors.map(\.name)
    static let rejected = WebhookFixtures.vectors.negative.map(\.name)

    func verify(_ vector: WebhookFixtures.Vectors.Vector, secrets: [String]? = nil, tolerance: Int = 300) throws {
        let verifier = try StandardWebhookVerifier(secrets: secrets ?? vector.secrets, tolerance: tolerance)
        try verifier.verify(headers: vector.presented, body: Array(vector.body.utf8), now: vector.verifyAt)
    }

    @Test func fixtureHasThreeAcceptedAndSevenRejected() {
        #expect(Self.accepted.count == 3)
        #expect(Self.rejected.count == 7)
    }

    @Test(arguments: accepted)
    func acceptedVectorVerifies(_ name: String) throws {
        let vector = try WebhookFixtures.vector(name)
        #expect(vector.expect == "accept")
        try verify(vector)
        for secret in vector.secrets { try verify(vector, secrets: [secret]) }  // each key alone (rotation)
    }

    @Test(arguments: accepted)
    func signingReproducesTheVector(_ name: String) throws {
        let vector = try WebhookFixtures.vector(name)
        let header = try #require(vector.expected?[Header.signature])
        for secret in vector.secrets {
            let signature = try StandardWebhookVerifier.signature(
                id: vector.id, timestamp: vector.timestamp, body: Array(vector.body.utf8), secret: secret)
            #expect(header.split(separator: " ").contains(Substring(signature)))
        }
    }

    @Test(arguments: rejected)
    func rejectedVectorFailsForItsReason(_ name: String) throws {
        let vector = try WebhookFixtures.vector(name)
        #expect(vector.expect == "reject")
        let failure = try #require(throws: WebhookVerificationFailure.self) { try verify(vector) }
        switch name {
        case "timestamp-too-old": #expect(failure == .timestampTooOld(header: Header.timestamp, age: 301, tolerance: 300))
        case "timestamp-too-new": #expect(failure == .timestampInFuture(header: Header.timestamp, ahead: 301, tolerance: 300))
        case "only-v1a-signature": #expect(failure == .noSupportedSignature(header: Header.signature, expected: "v1"))
        default: #expect(failure == .noSignatureMatches(header: Header.signature))
        }
        let message = failure.description
        #expect(!vector.secrets.contains { message.contains($0) || message.contains($0.dropFirst(6)) })
        #expect(!message.contains(vector.presented[Header.signature] ?? "-"))
    }

    @Test func toleranceIsConfigurable() throws {
        try verify(try WebhookFixtures.vector("timestamp-too-old"), tolerance: 600)
        try verify(try WebhookFixtures.vector("timestamp-too-new"), tolerance: 301)
    }

    @Test func rotationAcceptsAnyConfiguredSecretAndSkipsOtherVersions() throws {
        let vector = try WebhookFixtures.vector("promote-native-event")
        let body = Array(vector.body.utf8)
        let other = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        let verifier = try StandardWebhookVerifier(secrets: [other] + vector.secrets)
        let good = try #require(vector.expected?[Header.signature])
        for header in ["v1a,AAAA \(good)", "v1,bm90LWl0 \(good)", "\(good) v2,xyz", "  \(good)  "] {
            try verifier.verify(id: vector.id, timestamp: String(vector.timestamp), signatureHeader: header, body: body, now: vector.verifyAt)
        }
        #expect(throws: WebhookVerificationFailure.noSignatureMatches(header: Header.signature)) {
            try StandardWebhookVerifier(secrets: [other]).verify(headers: vector.presented, body: body, now: vector.verifyAt)
        }
    }

    @Test func tamperedBodyIsRefused() throws {
        let vector = try WebhookFixtures.vector("rotation-two-signatures-utf8-body")
        var body = Array(vector.body.utf8)
        body.removeLast()  // the trailing newline is signed too
        #expect(throws: WebhookVerificationFailure.noSignatureMatches(header: Header.signature)) {
            try StandardWebhookVerifier(secrets: vector.secrets).verify(headers: vector.presented, body: body, now: vector.verifyAt)
        }
    }

    @Test func missingAndMalformedHeaders() throws {
        let vector = try WebhookFixtures.vector("promote-native-event")
        let verifier = try StandardWebhookVerifier(secrets: vector.secrets)
        let body = Array(vector.body.utf8)
        let all = try #require(throws: WebhookVerificationFailure.self) { try verifier.verify(headers: [:], body: body, now: 0) }
        #expect(all == .missingHeaders(["webhook-id", "webhook-timestamp", "webhook-signature"]))
        #expect(all.description == "missing headers webhook-id, webhook-timestamp, webhook-signature")
        var headers = vector.presented
        headers[Header.signature] = ""
        #expect(throws: WebhookVerificationFailure.missingHeaders(["webhook-signature"])) {
            try verifier.verify(headers: headers, body: body, now: vector.verifyAt)
        }
        for bad in ["12.5", "-1795435200", "1795435200x", "99999999999999999999", " 1795435200"] {
            headers = vector.presented
            headers[Header.timestamp] = bad
            #expect(throws: WebhookVerificationFailure.timestampNotInteger(header: Header.timestamp)) {
                try verifier.verify(headers: headers, body: body, now: vector.verifyAt)
            }
        }
        headers = vector.presented
        headers[Header.signature] = "ir54F/GXKDM69CSTXu+hmBoROQNkkR23qpmiyl3gbso="  // no version prefix
        let none = try #require(throws: WebhookVerificationFailure.self) { try verifier.verify(headers: headers, body: body, now: vector.verifyAt) }
        #expect(none.description == "webhook-signature holds no v1 signature")
    }

    @Test func malformedSecretsAreNamedByIndexNeverEchoed() throws {
        let good = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
        let cases: [(secrets: [String], index: Int)] = [
            ([good, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="], 1),  // no whsec_
            ([good, good, "whsec_not*base64!"], 2),
            (["whsec_AAECAwQ="], 0),  // 5 bytes: too short
            ([good, "whsec_" + String(repeating: "A", count: 88)], 1),  // 66 bytes: too long
            (["promote-test-secret-not-for-production"], 0),  // an MLflow-style raw secret
        ]
        for (secrets, index) in cases {
            let error = try #require(throws: WebhookSecretError.self) { try StandardWebhookVerifier(secrets: secrets) }
            guard case .malformed(let reported, _) = error else {
                Issue.record("expected .malformed, got \(error)")
                continue
            }
            #expect(reported == index)
            #expect(error.description.hasPrefix("webhook secret at index \(index) "))
            #expect(!error.description.contains(secrets[index]))
            #expect(!error.description.contains(secrets[index].dropFirst(6)))
        }
        #expect(throws: WebhookSecretError.noSecrets) { try StandardWebhookVerifier(secrets: []) }
    }
}
