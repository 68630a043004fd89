import Testing
@testable import Promotion

@Test func moduleLinks() {
    #expect(String(describing: Promotion.self) == "Promotion")
}
