import Testing
import ArgumentParser
@testable import PromoteCLI

@Test func versionIsSet() {
    // A source build says so; scripts/package.sh stamps the commit instead (Tests/python/test_package.py).
    #expect(PromoteCommand.configuration.version == PromoteVersion.current + " (source build)")
}
