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
        let (pa, va, da, ia) = try a.trailing()
        #expect(String(describing: pa) == "a.b[0]" && va == "v" && da == 2 && ia)
        let b = try #require(try PromoteCommand.parseAsRoot(["spec", "set", "--in-place", "f.yaml", "p", "--model_id=x/y"]) as? SpecSetCommand)
        let (pb, vb, db, ib) = try b.trailing()
        #expect(String(describing: pb) == "p" && vb == "--model_id=x/y" && db == nil && ib)
        let c = try #require(try PromoteCommand.parseAsRoot(["spec", "set", "f.yaml", "p", "--", "--in-place"]) as? SpecSetCommand)
        let (_, vc, _, ic) = try c.trailing()
        #expect(vc == "--in-place" && !ic)
        let d = try #require(try PromoteCommand.parseAsRoot(["spec", "set", "f.yaml", "-foo", "-v"]) as? SpecSetCommand)
        let (pd, vd, _, _) = try d.trailing()
        #expect(String(describing: pd) == "-foo" && vd == "-v")
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
