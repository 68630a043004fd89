import Testing
import WebhookSignatures

/// The forges' schemes over the copied sample payloads. The upstream samples carry no signature, so they are signed
/// here with a known secret; three expected values were computed independently with Python's hmac/hashlib.
@Suite struct ForgeSignatureVerifierTests {
    typealias Scheme = ForgeSignatureVerifier.Scheme
    static let secret = "promote-forge-secret"

    /// (scheme, payload, hex HMAC-SHA256 of the file under `secret` from Python's hmac, or nil).
    static let samples: [(Scheme, String, String?)] = [
        (.github, "forges/github/opened.payload.json", "400f91649ee8cf34a0a8eced77d5887ab537d464a415a316655655f560de2885"),
        (.github, "forges/github/closed.payload.json", nil),
        (.gitea, "forges/gitea/pull-request-merged.derived.json", "f1b21d9e407a9e8be386600a28c8ce7f192e8012c1fb860e28156aa35bb1d70a"),
        (.forgejo, "forges/gitea/pull-request-event.go-playground.json", nil),
        (.gitlab, "forges/gitlab/merge_request.merged.derived.json", nil),
        (.bitbucket, "forges/bitbucket/pullrequest-fulfilled.derived.json", "d8d1919c1504130c0817e4acb3a8f96844f53d3a451c1b4b53fa081698fbbb26"),
        (.bitbucket, "forges/bitbucket/pullrequest-rejected.derived.json", nil),
    ]

    @Test func githubDocumentationExample() throws {
        // GitHub's "Validating webhook deliveries" example: secret and payload from the docs.
        let verifier = try ForgeSignatureVerifier(scheme: .github, secret: "It's a Secret to Everybody")
        let header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        try verifier.verify(headers: ["x-hub-signature-256": header], body: Array("Hello, World!".utf8))
        #expect(verifier.signatureHeader(for: Array("Hello, World!".utf8)) == ("X-Hub-Signature-256", header))
    }

    @Test(arguments: 0..<samples.count)
    func signedSampleVerifiesAndTamperingIsRefused(_ index: Int) throws {
        let (scheme, path, pythonHex) = Self.samples[index]
        let body = try WebhookFixtures.bytes(path)
        let verifier = try ForgeSignatureVerifier(scheme: scheme, secret: Self.secret)
        let (name, value) = verifier.signatureHeader(for: body)
        if let pythonHex { #expect(value.hasSuffix(pythonHex)) }
        let headers = WebhookHeaders.lowercasingNames([name: value, "Content-Type": "application/json"])
        try verifier.verify(headers: headers, body: body)

        var tampered = body
        tampered[tampered.count / 2] ^= 0x20
        if scheme == .gitlab {
            try verifier.verify(headers: headers, body: tampered)  // GitLab signs nothing: only the token is checked
            #expect(throws: WebhookVerificationFailure.tokenMismatch(header: "X-Gitlab-Token")) {
                try ForgeSignatureVerifier(scheme: .gitlab, secret: "another").verify(headers: headers, body: body)
            }
        } else {
            let failure = try #require(throws: WebhookVerificationFailure.self) { try verifier.verify(headers: headers, body: tampered) }
            #expect(failure == .noSignatureMatches(header: name))
            #expect(!failure.description.contains(Self.secret) && !failure.description.contains(value))
            #expect(throws: WebhookVerificationFailure.noSignatureMatches(header: name)) {
                try ForgeSignatureVerifier(scheme: scheme, secret: "another").verify(headers: headers, body: body)
            }
        }
        #expect(throws: WebhookVerificationFailure.self) { try verifier.verify(headers: ["content-type": "application/json"], body: body) }
    }

    @Test func headerPrecedenceAndCaseInsensitivity() throws {
        let body = try WebhookFixtures.bytes("forges/gitea/pull-request-merged.derived.json")
        let gitea = try ForgeSignatureVerifier(scheme: .gitea, secret: Self.secret)
        let hex = String(gitea.signatureHeader(for: body).value)
        // What Gitea really sends: the bare hex under X-Gitea-Signature (and X-Gogs-Signature) plus the GitHub-style copy.
        let delivered = WebhookHeaders.lowercasingNames([
            "X-Gitea-Signature": hex, "X-Gogs-Signature": hex, "X-Hub-Signature-256": "sha256=" + hex,
        ])
        try gitea.verify(headers: delivered, body: body)
        try gitea.verify(headers: ["x-hub-signature-256": "sha256=" + hex.uppercased()], body: body)  // hex in either case
        let forgejo = try ForgeSignatureVerifier(scheme: .forgejo, secret: Self.secret)
        try forgejo.verify(headers: delivered, body: body)
        try forgejo.verify(headers: ["x-forgejo-signature": hex], body: body)
        #expect(forgejo.signatureHeader(for: body) == ("X-Forgejo-Signature", hex))
        // The first header present decides: a bad X-Gitea-Signature is not rescued by a good GitHub-style copy.
        #expect(throws: WebhookVerificationFailure.noSignatureMatches(header: "X-Gitea-Signature")) {
            try gitea.verify(headers: ["x-gitea-signature": String(repeating: "0", count: 64), "x-hub-signature-256": "sha256=" + hex], body: body)
        }
        #expect(throws: WebhookVerificationFailure.missingHeaders(["X-Gitea-Signature"])) { try gitea.verify(headers: [:], body: body) }
    }

    @Test func malformedSignatureHeaders() throws {
        let body = Array("{}".utf8)
        let github = try ForgeSignatureVerifier(scheme: .github, secret: Self.secret)
        let hex = String(github.signatureHeader(for: body).value.dropFirst(7))
        let expected = WebhookVerificationFailure.malformedHeader(header: "X-Hub-Signature-256", expected: "sha256=<64 hex digits of HMAC-SHA256>")
        for bad in [hex, "sha1=" + hex, "sha256=" + hex.dropLast(2), "sha256=" + hex.dropLast() + "g"] {
            #expect(throws: expected) { try github.verify(headers: ["x-hub-signature-256": bad], body: body) }
        }
        // GitHub's legacy SHA-1 header alone is not accepted.
        #expect(throws: WebhookVerificationFailure.missingHeaders(["X-Hub-Signature-256"])) {
            try github.verify(headers: ["x-hub-signature": "sha1=0000"], body: body)
        }
        let bitbucket = try ForgeSignatureVerifier(scheme: .bitbucket, secret: Self.secret)
        #expect(throws: WebhookVerificationFailure.malformedHeader(header: "X-Hub-Signature", expected: "sha256=<64 hex digits of HMAC-SHA256>")) {
            try bitbucket.verify(headers: ["x-hub-signature": hex], body: body)
        }
        let gitlab = try ForgeSignatureVerifier(scheme: .gitlab, secret: Self.secret)
        #expect(throws: WebhookVerificationFailure.missingHeaders(["X-Gitlab-Token"])) { try gitlab.verify(headers: [:], body: body) }
        let mismatch = try #require(throws: WebhookVerificationFailure.self) {
            try gitlab.verify(headers: ["x-gitlab-token": Self.secret + "-not"], body: body)
        }
        #expect(mismatch.description == "X-Gitlab-Token does not match the configured token(s)")
        #expect(throws: WebhookSecretError.malformed(index: 0, reason: "is empty")) { try ForgeSignatureVerifier(scheme: .github, secret: "") }
    }
}
