import Testing
import ArgumentParser
@testable import PromoteCLI

@Test func versionIsSet() {
    #expect(PromoteCommand.configuration.version == PromoteVersion.current)
}
