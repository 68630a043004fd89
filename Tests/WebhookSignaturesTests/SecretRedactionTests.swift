import Testing
import WebhookSignatures

/// Secrets and the verifiers holding them never print: not through `description`, `debugDescription`, string
/// interpolation of a struct holding them, `dump` or `Mirror`.
@Suite struct SecretRedactionTests {
    struct Holder {
        var name = "intake"
        var secret: Secret
        var bearer: BearerTokenVerifier
        var forge: ForgeSignatureVerifier
    }

    @Test func nothingPrintsTheSecret() throws {
        let value = "s3cr3t-Distinct-91f0"
        let holder = Holder(
            secret: Secret(value), bearer: try BearerTokenVerifier(tokens: [value]),
            forge: try ForgeSignatureVerifier(scheme: .gitlab, secret: value))
        var dumped = ""
        dump(holder, to: &dumped)
        let printed = [
            "\(holder)", String(describing: holder), String(reflecting: holder), dumped, "\(holder.secret)",
            String(describing: Mirror(reflecting: holder.secret).children.map { "\($0.value)" }),
        ]
        for text in printed { #expect(!text.contains(value), "\(text)") }
        #expect(holder.secret.exposed == value)
        #expect(String(describing: holder.secret) == "Secret(<redacted>)")
    }
}
