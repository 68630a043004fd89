import Testing
import WebhookSignatures

/// The shared pieces: HMAC-SHA256 (RFC 4231 test case 2), constant-time comparison, hex and base64.
@Suite struct PrimitivesTests {
    @Test func hmacMatchesRFC4231() {
        let code = HMACSHA256.authenticationCode(for: Array("what do ya want for nothing?".utf8), key: Array("Jefe".utf8))
        #expect(WireEncoding.hex(code) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(HMACSHA256.isValid(code, for: Array("what do ya want for nothing?".utf8), key: Array("Jefe".utf8)))
        #expect(!HMACSHA256.isValid(Array(code.dropLast()), for: Array("what do ya want for nothing?".utf8), key: Array("Jefe".utf8)))
    }

    @Test func constantTimeEquality() {
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(ConstantTime.equals([], []))
        #expect(ConstantTime.tokensEqual("s3cret", "s3cret"))
        #expect(!ConstantTime.tokensEqual("s3cret", "s3cre"))
        #expect(!ConstantTime.tokensEqual("", "s3cret"))
    }

    @Test func encodings() {
        #expect(WireEncoding.hex([0x00, 0x7f, 0xff]) == "007fff")
        #expect(WireEncoding.bytes(fromHex: "007FfF") == [0x00, 0x7f, 0xff])
        #expect(WireEncoding.bytes(fromHex: "abc") == nil)
        #expect(WireEncoding.bytes(fromHex: "zz") == nil)
        #expect(WireEncoding.base64(Array("hi!?".utf8)) == "aGkhPw==")
        #expect(WireEncoding.bytes(fromBase64: "aGkhPw==") == Array("hi!?".utf8))
        #expect(WireEncoding.bytes(fromBase64: "aGkhPw") == nil)
        #expect(WebhookHeaders.lowercasingNames(["X-Hub-Signature-256": "a"]) == ["x-hub-signature-256": "a"])
    }
}
