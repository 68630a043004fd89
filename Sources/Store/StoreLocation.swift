public import Foundation

/// Where the state database lives: `service.state` from config (`sqlite:///abs/path`, `sqlite://rel/path` or a
/// plain path), else `$XDG_STATE_HOME/promote/promote.db`, else `~/.local/state/promote/promote.db`.
public enum StoreLocation {
    /// The database path for a `service.state` value and an environment.
    public static func path(for state: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) -> String {
        if let state, !state.isEmpty {
            if state.hasPrefix("sqlite://") { return String(state.dropFirst("sqlite://".count)) }
            if state.hasPrefix("postgres://") || state.hasPrefix("postgresql://") {
                throw StoreError(operation: "open \(state.prefix(11))...", message: "PostgreSQL state stores are not supported yet; use sqlite:///path")
            }
            if state.contains("://") { throw StoreError(operation: "open state store", message: "unknown scheme in '\(state)'; use sqlite:///path") }
            return state
        }
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") { return xdg + "/promote/promote.db" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/state/promote/promote.db"
    }
}
