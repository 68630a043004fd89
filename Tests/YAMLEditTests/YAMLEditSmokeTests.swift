import Testing
@testable import YAMLEdit

@Test func moduleLinks() {
    #expect(String(describing: YAMLEdit.self) == "YAMLEdit")
}
