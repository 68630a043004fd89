public import Foundation

/// Where the state database lives: `service.state` from config (`sqlite:///abs/path`, `sqlite://rel/path` or a
/// plain path), else `$XDG_STATE_HOME/promote/promote.db`, else `~/.local/state/promote/promote.db`; or a
/// `postgres://` URL (``PostgresLocation``).
public enum StoreLocation {
    /// True when `state` names a PostgreSQL database (`postgres://` or `postgresql://`).
    public static func isPostgres(_ state: String?) -> Bool {
        state.map { $0.hasPrefix("postgres://") || $0.hasPrefix("postgresql://") } ?? false
    }

    /// The database path for a `service.state` value and an environment.
    public static func path(for state: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) -> String {
        if let state, !state.isEmpty {
            if state.hasPrefix("sqlite://") { return String(state.dropFirst("sqlite://".count)) }
            if isPostgres(state) {
                throw StoreError(operation: "open \(state.prefix(11))...", message: "a PostgreSQL URL names no file; open it with PostgresStore")
            }
            if state.contains("://") {
                throw StoreError(operation: "open state store", message: "unknown scheme in service.state; use sqlite:///path or postgres://USER@HOST:PORT/DB")
            }
            return state
        }
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") { return xdg + "/promote/promote.db" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/state/promote/promote.db"
    }
}
