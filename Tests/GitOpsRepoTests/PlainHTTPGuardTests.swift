import Testing
@testable import GitOpsRepo

/// Git credentials go over plain http:// only when every address the host resolves to is a loopback address.
@Suite struct PlainHTTPGuardTests {
    @Test func loopbackHostsPass() throws {
        try PlainHTTPGuard.check("http://127.0.0.1:8080/acme/gitops.git", shownAs: "test")
        try PlainHTTPGuard.check("http://localhost:8080/acme/gitops.git", shownAs: "test")
        try PlainHTTPGuard.check("https://git.example/acme/gitops.git", shownAs: "test")  // not plain http: not its business
    }

    @Test func otherHostsAreRefusedBeforeCredentialsGoOut() {
        // `.invalid` never resolves (RFC 6761); 192.0.2.1 is a documentation address, not loopback.
        #expect(throws: GitOpsError.self) { try PlainHTTPGuard.check("http://localhost.invalid/acme/gitops.git", shownAs: "test") }
        #expect(throws: GitOpsError.self) { try PlainHTTPGuard.check("http://192.0.2.1/acme/gitops.git", shownAs: "test") }
        #expect(throws: GitOpsError.self) { try PlainHTTPGuard.check("http://127.0.0.1@192.0.2.1/x.git", shownAs: "test") }
    }
}
