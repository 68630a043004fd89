import Testing
@testable import Git2

@Test func moduleLinks() {
    #expect(String(describing: Git2.self) == "Git2")
}
