public import ArgumentParser

/// The root of the `promote` command tree. Kept in a library so that tests can parse it.
public struct PromoteCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Promote model versions through GitOps environments.",
        version: PromoteVersion.description,
        subcommands: [
            ReleaseCommand.self, StatusCommand.self, HistoryCommand.self, RollbackCommand.self, ReconcileCommand.self,
            ServeCommand.self, SpecCommand.self, ConfigCommand.self, LedgerCommand.self, DoctorCommand.self,
            AuditCommand.self, AdvanceCommand.self,
        ]
    )

    /// `--log-format` before the subcommand (`promote --log-format json serve`); every subcommand takes it too.
    @OptionGroup var logging: LoggingOptions

    public init() {}
}
