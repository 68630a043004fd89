import ArgumentParser
import PromoteCLI

do {
    var command = try await PromoteCommand.asyncParseAsRoot(nil)
    if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
    } else {
        try command.run()
    }
} catch {
    PromoteCommand.exit(withError: error)
}
