import Testing
@testable import Promotion

@Suite struct VersionOrderTests {
    @Test(arguments: [
        ("1.9.3", "1.10.0"), ("9", "12"), ("v3.0.9", "v3.1.0"), ("2.0.0-rc.1", "2.0.0"), ("2.0.0-alpha", "2.0.0-beta"),
        ("1.4.2", "1.4.3"), ("1.4", "1.4.1"), ("2.0.0-rc.2", "2.0.0-rc.10"),
    ])
    func orders(_ older: String, _ newer: String) {
        #expect(VersionOrder.isOlder(older, than: newer))
        #expect(!VersionOrder.isOlder(newer, than: older))
    }

    @Test func buildMetadataIsIgnored() {
        #expect(VersionOrder.compare("2.0.0+build.7", "2.0.0+build.8") == 0)
        #expect(VersionOrder.compare("v1.2.0", "1.2.0") == 0)
    }
}
