import Testing
@testable import GitOpsRepo

@Test func moduleLinks() {
    #expect(String(describing: GitOpsRepo.self) == "GitOpsRepo")
}
