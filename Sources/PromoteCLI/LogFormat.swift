public import ArgumentParser

/// How log lines look on stderr: `text` for people, `json` (one object a line) for log collectors.
public enum LogFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    case text, json

    /// The environment variable that sets the format when `--log-format` is not given.
    public static let environmentVariable = "PROMOTE_LOG_FORMAT"

    /// The format `arguments` (`--log-format X` or `--log-format=X`) or else `environment` asks for; `text` when
    /// neither does or the value is not a format (the command's parser then reports a bad `--log-format`).
    public static func requested(arguments: [String], environment: [String: String]) -> LogFormat {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            if argument == "--" { break }
            if argument == "--log-format" { return iterator.next().flatMap(LogFormat.init(rawValue:)) ?? .text }
            if argument.hasPrefix("--log-format=") { return LogFormat(rawValue: String(argument.dropFirst(13))) ?? .text }
        }
        return environment[environmentVariable].flatMap(LogFormat.init(rawValue:)) ?? .text
    }
}

/// `--log-format`, on every command (it is read before parsing, to set logging up; declared here so that every
/// command accepts it, validates it and shows it in its help).
struct LoggingOptions: ParsableArguments {
    @Option(
        name: .customLong("log-format"),
        help: ArgumentHelp("Log lines on stderr as text or json (one object a line; default: $PROMOTE_LOG_FORMAT, else text).", valueName: "format"))
    var logFormat: LogFormat?
}
