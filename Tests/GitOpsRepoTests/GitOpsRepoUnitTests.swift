import Testing
@testable import GitOpsRepo

@Suite struct GitOpsRepoUnitTests {
    @Test(arguments: [
        "failed to update ref",
        "cannot lock ref 'refs/heads/main': is at 1234 but expected 5678",
        "non-fast-forward",
        "fetch first",
        "stale info",
        "incorrect old value provided",
        "Updates were rejected because the tip of your current branch is behind",
    ])
    func recognisesStaleStatuses(status: String) {
        #expect(StaleStatus.isStale(status))
    }

    @Test(arguments: ["pre-receive hook declined", "protected branch hook declined", "deny updating a hidden ref"])
    func otherRejectionsAreNotStale(status: String) {
        #expect(!StaleStatus.isStale(status))
    }

    @Test func mirrorDirectoryNamesCarryNoCredentials() {
        let a = MirrorLocation.directoryName(for: "https://bot:t0ken@git.example.com:8443/acme/ops.git")
        let b = MirrorLocation.directoryName(for: "https://git.example.com:8443/acme/ops.git")
        #expect(a == b)
        #expect(!a.contains("t0ken") && !a.contains("/"))
        #expect(a.hasPrefix("git.example.com_8443_acme_ops.git-"))
        #expect(MirrorLocation.directoryName(for: "https://git.example.com/acme/other.git") != b)
        #expect(MirrorLocation.identity(of: "ssh://git@host:22/x.git") == "ssh://host:22/x.git")
    }
}
