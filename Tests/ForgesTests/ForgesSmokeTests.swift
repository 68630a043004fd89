import Testing
@testable import Forges

@Test func moduleLinks() {
    #expect(String(describing: Forges.self) == "Forges")
}
