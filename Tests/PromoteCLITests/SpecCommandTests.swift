import ArgumentParser
import Testing
import YAMLEdit
@testable import PromoteCLI

/// `promote spec` parses as the contract says.
@Suite struct SpecCommandTests {
    @Test func modelsParses() throws {
        let command = try PromoteCommand.parseAsRoot(["spec", "models", "a.yaml"])
        #expect((command as? SpecModelsCommand)?.file == "a.yaml")
    }

    func parsed(_ args: [String]) throws -> SpecSetCommand.Arguments {
        try #require(try PromoteCommand.parseAsRoot(["spec", "set"] + args) as? SpecSetCommand).arguments()
    }

    @Test func setParsesValueAndOptionsInAnyOrder() throws {
        let a = try parsed(["f.yaml", "a.b[0]", "v", "--document", "2", "--in-place"])
        #expect(a.edits.map { "\($0.path)=\($0.value)" } == ["a.b[0]=v"] && a.edits[0].document == 2 && a.document == 2 && a.inPlace)
        let b = try parsed(["--in-place", "f.yaml", "p", "--model_id=x/y"])
        #expect(b.edits.map { "\($0.path)=\($0.value)" } == ["p=--model_id=x/y"] && b.document == nil && b.inPlace)
        let c = try parsed(["f.yaml", "p", "--", "--in-place"])
        #expect(c.edits.map(\.value) == ["--in-place"] && !c.inPlace)
        let d = try parsed(["f.yaml", "-foo", "-v"])
        #expect(d.edits.map { "\($0.path)=\($0.value)" } == ["-foo=-v"])
    }

    /// Flux's and Kargo's image setters change newName, newTag and digest together: several pairs, one edit.
    @Test func setTakesSeveralPairsWithTheGrammarsQuotedKeys() throws {
        let a = try parsed([
            "kustomization.yaml", "images[name=\"ghcr.io/org/app\"].newName", "ghcr.io/org/app2", "images[name=\"ghcr.io/org/app\"].newTag",
            "1.2.3", "--in-place", "metadata.annotations.\"serving.kserve.io/deploymentMode\"", "RawDeployment", "image\\.tag", "v2",
        ])
        #expect(a.inPlace)
        #expect(a.edits.map(\.path.components) == [
            [.key("images"), .select(key: "name", value: "ghcr.io/org/app"), .key("newName")],
            [.key("images"), .select(key: "name", value: "ghcr.io/org/app"), .key("newTag")],
            [.key("metadata"), .key("annotations"), .key("serving.kserve.io/deploymentMode")],
            [.key("image.tag")],
        ])
        #expect(a.edits.map(\.value) == ["ghcr.io/org/app2", "1.2.3", "RawDeployment", "v2"])
    }

    @Test func usageErrors() {
        #expect(throws: (any Error).self) { try PromoteCommand.parseAsRoot(["spec", "set", "f.yaml", "p"]) }
        #expect(throws: (any Error).self) { try PromoteCommand.parseAsRoot(["spec", "set", "f.yaml", "p[", "v"]) }
        #expect(throws: (any Error).self) { try PromoteCommand.parseAsRoot(["spec", "set", "f.yaml", "p", "v", "w"]) }
        #expect(throws: (any Error).self) { try PromoteCommand.parseAsRoot(["spec", "set", "f.yaml", "p", "v", "q\"x", "w"]) }
        #expect(throws: (any Error).self) { try PromoteCommand.parseAsRoot(["spec", "set", "f.yaml", "p", "v", "--document", "-1"]) }
        #expect(PromoteCommand.exitCode(for: ValidationError("x")) == .validationFailure)
        #expect(ExitCode.validationFailure.rawValue == 64)
    }
}
