public import ArgumentParser
import YAMLEdit

/// `promote spec set FILE PATH VALUE [--document N] [--in-place]`.
public struct SpecSetCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Set one scalar of a manifest to a string, changing nothing else.",
        discussion: """
            Prints the edited file (or replaces it atomically with --in-place). Every byte besides the target \
            scalar stays identical; the result is re-parsed and checked. On any refusal (invalid YAML, Helm \
            template, path not found or ambiguous, non-scalar, anchored or aliased target) it exits 1 with the \
            reason on stderr and writes nothing.
            """
    )

    /// The manifest to edit.
    @OptionGroup var logging: LoggingOptions

    @Argument(help: "The manifest file (YAML or JSON).")
    public var file: String

    /// PATH, VALUE, then optionally `--document N` / `--in-place`. Captured verbatim, so that paths and values
    /// that look like options (`--model_id=org/model`, `-rc1`) are taken as they are.
    @Argument(
        parsing: .captureForPassthrough,
        help: ArgumentHelp(
            """
            PATH VALUE: the scalar's path (spec.predictors[name=default].graph.modelUri, images[name=app].newTag) and \
            the new value (always written as a string; quoted when YAML would read it otherwise).
            """,
            valueName: "path value"))
    public var rest: [String] = []

    /// The document, when the path resolves in several.
    @Option(name: .long, help: "The document index (from 0, as yaml.safe_load_all counts) when the path resolves in several.")
    public var document: Int?

    /// Replace the file instead of printing.
    @Flag(name: .long, help: "Replace the file atomically instead of printing the result.")
    public var inPlace = false

    public init() {}

    /// The value and options after PATH: exactly one value; `--document N`, `--document=N`, `--in-place`;
    /// after `--` everything is a value.
    func trailing() throws -> (path: YAMLPath, value: String, document: Int?, inPlace: Bool) {
        var values: [String] = []
        var document = self.document
        var inPlace = self.inPlace
        var i = 0
        var literal = false
        while i < rest.count {
            let arg = rest[i]
            if literal {
                values.append(arg)
            } else if arg == "--" {
                literal = true
            } else if arg == "--in-place" {
                inPlace = true
            } else if arg == "--document" {
                guard i + 1 < rest.count, let n = Int(rest[i + 1]) else { throw ValidationError("--document needs a number") }
                document = n
                i += 1
            } else if arg.hasPrefix("--document=") {
                guard let n = Int(arg.dropFirst("--document=".count)) else { throw ValidationError("--document needs a number") }
                document = n
            } else {
                values.append(arg)
            }
            i += 1
        }
        guard values.count == 2 else {
            throw ValidationError(
                values.count < 2
                    ? "Missing expected argument '\(values.isEmpty ? "<path>" : "<value>")'"
                    : "Expected a path and one value, got \(values.count) arguments: \(values)")
        }
        let path: YAMLPath
        do {
            path = try YAMLPath(parsing: values[0])
        } catch {
            throw ValidationError(error.reason)
        }
        return (path, values[1], document, inPlace)
    }

    public func validate() throws {
        let (_, _, document, _) = try trailing()
        if let document, document < 0 { throw ValidationError("--document must be 0 or more") }
    }

    public func run() throws {
        let (parsedPath, value, document, inPlace) = try trailing()
        let bytes = try SpecIO.read(file)
        let edited: [UInt8]
        do {
            edited = try YAMLStream.edit(bytes: bytes, file: file, [ScalarEdit(path: parsedPath, value: value, document: document)])
        } catch {
            SpecIO.fail(error.description)
        }
        if inPlace {
            do {
                try SpecIO.replaceAtomically(file, with: edited)
            } catch {
                SpecIO.fail("\(file): \(error)")
            }
        } else {
            SpecIO.writeStandardOutput(edited)
        }
    }
}
