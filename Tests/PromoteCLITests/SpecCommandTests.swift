import ArgumentParser
import Testing
@testable import PromoteCLI

/// `promote spec` parses as the contract says.
@Suite struct SpecCommandTests {
    @Test func modelsParses() throws {
        let command = try PromoteCommand.parseAsRoot(["spec", "models", "a.yaml"])
        #expect((command as? SpecModelsCommand)?.file == "a.yaml")
    }

    @Test func setParsesValueAndOptionsInAnyOrder() throws {
        let a = try #require(try PromoteCommand.parseAsRoot(["spec", "set", "f.yaml", "a.b[0]", "v", "--document", "2", "--in-place"]) as? SpecSetCommand)
        #expect(try a.trailing() == ("v", 2, true))
        let b = try #require(try PromoteCommand.parseAsRoot(["spec", "set", "--in-place", "f.yaml", "p", "--model_id=x/y"]) as? SpecSetCommand)
        #expect(try b.trailing() == ("--model_id=x/y", nil, true))
        let c = try #require(try PromoteCommand.parseAsRoot(["spec", "set", "f.yaml", "p", "--", "--in-place"]) as? SpecSetCommand)
        #expect(try c.trailing() == ("--in-place", nil, false))
    }

    @Test func usageErrors() {
        #expect(throws: (any Error).self) { try PromoteCommand.parseAsRoot(["spec", "set", "f.yaml", "p"]) }
        #expect(throws: (any Error).self) { try PromoteCommand.parseAsRoot(["spec", "set", "f.yaml", "p[", "v"]) }
        #expect(throws: (any Error).self) { try PromoteCommand.parseAsRoot(["spec", "set", "f.yaml", "p", "v", "w"]) }
        #expect(throws: (any Error).self) { try PromoteCommand.parseAsRoot(["spec", "set", "f.yaml", "p", "v", "--document", "-1"]) }
        #expect(PromoteCommand.exitCode(for: ValidationError("x")) == .validationFailure)
        #expect(ExitCode.validationFailure.rawValue == 64)
    }
}
