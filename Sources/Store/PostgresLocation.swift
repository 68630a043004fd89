public import Foundation

/// A `service.state: postgres://USER@HOST:PORT/DB?sslmode=MODE` value, parsed. The password never appears in it:
/// it comes from `service.statePasswordEnv` or libpq's `PGPASSWORD`, and ``description`` never shows it.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    /// libpq's `sslmode`: `disable`, `allow`, `prefer` (the default), `require`, `verify-ca` or `verify-full`.
    public var sslMode: String

    static let sslModes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]

    /// Parses a `postgres://` or `postgresql://` URL; a password in it, an unknown `sslmode` or a missing part is
    /// refused with an error naming the part (and never quoting the URL, which could hold a secret).
    public init(url: String) throws(StoreError) {
        func refuse(_ message: String) -> StoreError { StoreError(operation: "open postgres:// state store", message: message) }
        guard let components = URLComponents(string: url), components.scheme == "postgres" || components.scheme == "postgresql" else {
            throw refuse("not a postgres://USER@HOST:PORT/DB URL")
        }
        guard components.password == nil else {
            throw refuse("the URL holds a password; put it in the variable service.statePasswordEnv names (or PGPASSWORD) instead")
        }
        guard let user = components.user, !user.isEmpty else { throw refuse("the URL names no user (postgres://USER@HOST:PORT/DB)") }
        guard let host = components.host, !host.isEmpty else { throw refuse("the URL names no host (postgres://USER@HOST:PORT/DB)") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { throw refuse("the URL names no database (postgres://USER@HOST:PORT/DB)") }
        var sslMode = "prefer"
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode" else { throw refuse("unknown URL parameter '\(item.name)' (only sslmode is read)") }
            guard let value = item.value, Self.sslModes.contains(value) else {
                throw refuse("sslmode must be one of \(Self.sslModes.joined(separator: ", "))")
            }
            sslMode = value
        }
        self.user = user.removingPercentEncoding ?? user
        self.host = host
        self.port = components.port ?? 5432
        self.database = database.removingPercentEncoding ?? database
        self.sslMode = sslMode
    }

    /// The password for this location: the variable `passwordEnv` names, else `PGPASSWORD`, else none (trust or
    /// peer authentication). A named variable that is unset is an error, so a typo is not silently "no password".
    public func password(passwordEnv: String?, environment: [String: String]) throws(StoreError) -> String? {
        if let passwordEnv {
            guard let value = environment[passwordEnv], !value.isEmpty else {
                throw StoreError(
                    operation: "open \(self)", message: "the database password is not set: export \(passwordEnv) (named by service.statePasswordEnv)")
            }
            return value
        }
        return environment["PGPASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }
}
