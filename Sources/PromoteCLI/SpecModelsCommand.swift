public import ArgumentParser
import Promotion
import YAMLEdit

/// `promote spec models FILE`: one JSON line per model location (document, kind, name, path, value, …).
public struct SpecModelsCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List every model location of a manifest as JSON lines.",
        discussion: """
            Each line: {"document": N, "kind": …, "name": …, "path": …, "value": …, "type": …, "pathIndex": …, \
            "line": N, "style": …}. Paths use [name=…] selectors when every item of a list is a mapping with a \
            unique string name, else [N].
            """
    )

    /// The manifest to read.
    @OptionGroup var logging: LoggingOptions

    @Argument(help: "The manifest file (YAML or JSON).")
    public var file: String

    public init() {}

    public func run() throws {
        let bytes = try SpecIO.read(file)
        let stream: YAMLStream
        do {
            stream = try YAMLStream.forEditing(bytes: bytes, file: file)
        } catch {
            SpecIO.fail(error.description)
        }
        var out = ""
        for location in ManifestScanner.locations(in: stream) {
            out += SpecJSON.line(location) + "\n"
        }
        SpecIO.writeStandardOutput(Array(out.utf8))
    }
}
