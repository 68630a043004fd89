public import ArgumentParser

/// `promote spec …`: read and edit model-serving manifests directly (the same editor a promotion uses).
public struct SpecCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "spec",
        abstract: "Inspect and edit deployment specs (minimal, comment-preserving YAML edits).",
        subcommands: [SpecModelsCommand.self, SpecSetCommand.self]
    )

    public init() {}
}
