import ArgumentParser

/// Options every command that reads configuration takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The configuration file (default: $PROMOTE_CONFIG, else ./promote.yaml).", valueName: "file"))
    var config: String?
    @OptionGroup var logging: LoggingOptions
}
