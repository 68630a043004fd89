public import ArgumentParser
import YAMLEdit

/// `promote spec set FILE PATH VALUE [PATH VALUE ...] [--document N] [--in-place]`.
public struct SpecSetCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Set scalars of a manifest to strings, changing nothing else.",
        discussion: """
            Prints the edited file (or replaces it atomically with --in-place). Several PATH VALUE pairs are applied \
            to one parse, checked together and written once: all of them or nothing. Every byte besides the target \
            scalars stays identical; the result is re-parsed and checked. A target that already holds its value is \
            left as it is (exit 0). On any refusal (invalid YAML, Helm template, path not found or ambiguous, \
            non-scalar target, a target an alias repeats elsewhere) it exits 1 with the reason on stderr and writes \
            nothing. A malformed PATH, an odd number of PATH VALUE arguments or a bad --document is a usage error \
            (exit 64).

            PATH: dot-separated keys, [N] list indexes, [key=value] list-item selectors. A key holding . [ ] = or " \
            goes in double quotes with \\" and \\\\ as escapes (metadata.annotations."serving.kserve.io/deploymentMode", \
            "image.tag"); Helm's image\\.tag works too; a selector value may be quoted (images[name="ghcr.io/org/app"]).
            """
    )

    /// The manifest to edit.
    @OptionGroup var logging: LoggingOptions

    @Argument(help: "The manifest file (YAML or JSON).")
    public var file: String

    /// PATH VALUE pairs, then optionally `--document N` / `--in-place`. Captured verbatim, so that paths and values
    /// that look like options (`--model_id=org/model`, `-rc1`) are taken as they are.
    @Argument(
        parsing: .captureForPassthrough,
        help: ArgumentHelp(
            """
            PATH VALUE [PATH VALUE ...]: a scalar's path (spec.predictors[name=default].graph.modelUri, \
            images[name=app].newTag) and its new value (always written as a string; quoted when YAML would read it \
            otherwise).
            """,
            valueName: "path value"))
    public var rest: [String] = []

    /// The document, when a path resolves in several.
    @Option(name: .long, help: "The document index (from 0, as yaml.safe_load_all counts) when a path resolves in several.")
    public var document: Int?

    /// Replace the file instead of printing.
    @Flag(name: .long, help: "Replace the file atomically instead of printing the result.")
    public var inPlace = false

    public init() {}

    /// The parsed arguments after FILE.
    struct Arguments {
        var edits: [ScalarEdit]
        var document: Int?
        var inPlace: Bool
    }

    /// The PATH VALUE pairs and options after FILE: `--document N`, `--document=N`, `--in-place` anywhere; after `--`
    /// everything is a path or a value.
    func arguments() throws -> Arguments {
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
        guard values.count >= 2, values.count % 2 == 0 else {
            throw ValidationError(
                values.count < 2
                    ? "Missing expected argument '\(values.isEmpty ? "<path>" : "<value>")'"
                    : "Expected PATH VALUE pairs, got \(values.count) arguments: the path \"\(values[values.count - 1])\" has no value")
        }
        var edits: [ScalarEdit] = []
        for pair in stride(from: 0, to: values.count, by: 2) {
            let path: YAMLPath
            do {
                path = try YAMLPath(parsing: values[pair])
            } catch {
                throw ValidationError(error.reason)
            }
            edits.append(ScalarEdit(path: path, value: values[pair + 1], document: document))
        }
        return Arguments(edits: edits, document: document, inPlace: inPlace)
    }

    public func validate() throws {
        let parsed = try arguments()
        if let document = parsed.document, document < 0 { throw ValidationError("--document must be 0 or more") }
    }

    public func run() throws {
        let parsed = try arguments()
        let bytes = try SpecIO.read(file)
        let outcome: EditOutcome
        do {
            outcome = try YAMLStream.forEditing(bytes: bytes, file: file).apply(parsed.edits)
        } catch {
            SpecIO.fail(error.description)
        }
        if parsed.inPlace {
            guard outcome.changed else { return }
            do {
                try SpecIO.replaceAtomically(file, with: outcome.bytes)
            } catch {
                SpecIO.fail("\(file): \(error)")
            }
        } else {
            SpecIO.writeStandardOutput(outcome.bytes)
        }
    }
}
