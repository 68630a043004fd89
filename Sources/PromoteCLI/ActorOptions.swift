import ArgumentParser
import Foundation

/// `--actor NAME`: who the audit log records for a command that changes something (default: `user@host`).
struct ActorOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Who the audit log records (default: user@host).", valueName: "name")) var actor: String?

    func validate() throws {
        if let actor, actor.isEmpty || actor.count > 200 || actor.contains(where: { $0.isNewline || $0.asciiValue.map { $0 < 0x20 } ?? false }) {
            throw ValidationError("--actor must be 1 to 200 characters without control characters")
        }
    }

    /// `--actor`, else `$USER@host`.
    func resolved(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let actor { return actor }
        let user = environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["LOGNAME"] ?? "unknown"
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "localhost"
        return "\(user)@\(host)"
    }
}
