import Testing
import WebhookSignatures

@Suite struct BearerTokenVerifierTests {
    @Test func acceptsAnyConfiguredToken() throws {
        let verifier = try BearerTokenVerifier(tokens: ["ci-token-one", "ci-token-two-longer"])
        try verifier.verify(authorization: "Bearer ci-token-one")
        try verifier.verify(authorization: "bearer ci-token-two-longer")
        try verifier.verify(headers: WebhookHeaders.lowercasingNames(["Authorization": "BEARER  ci-token-one "]))
    }

    @Test func refusesWithoutEchoingTheToken() throws {
        let verifier = try BearerTokenVerifier(tokens: ["ci-token-one"])
        for presented in ["Bearer ci-token-on", "Bearer ci-token-one1", "Bearer CI-TOKEN-ONE"] {
            let failure = try #require(throws: WebhookVerificationFailure.self) { try verifier.verify(authorization: presented) }
            #expect(failure == .tokenMismatch(header: "Authorization"))
            #expect(!failure.description.contains("ci-token"))
        }
        #expect(throws: WebhookVerificationFailure.missingHeaders(["Authorization"])) { try verifier.verify(authorization: nil) }
        #expect(throws: WebhookVerificationFailure.missingHeaders(["Authorization"])) { try verifier.verify(headers: ["authorization": ""]) }
        for malformed in ["Basic Y2k6dG9rZW4=", "Bearer", "Bearer ", "ci-token-one"] {
            #expect(throws: WebhookVerificationFailure.malformedHeader(header: "Authorization", expected: "Bearer <token>")) {
                try verifier.verify(authorization: malformed)
            }
        }
    }

    @Test func unusableTokensAreNamedByIndex() {
        #expect(throws: WebhookSecretError.noSecrets) { try BearerTokenVerifier(tokens: []) }
        #expect(throws: WebhookSecretError.malformed(index: 1, reason: "is empty")) { try BearerTokenVerifier(tokens: ["a", ""]) }
        #expect(throws: WebhookSecretError.malformed(index: 0, reason: "contains whitespace")) { try BearerTokenVerifier(tokens: ["a b"]) }
    }
}
