public import Foundation
internal import Logging

extension StoreLocation {
    /// Checks that `service.state` can be opened, changing nothing (`promote config validate`): a PostgreSQL URL
    /// is parsed, its password variable read and one connection made (at most `timeout`); a SQLite file must be
    /// readable and writable, or its directory creatable. Returns where it is, without credentials.
    public static func check(
        state: String?, passwordEnv: String?, environment: [String: String], timeout: Duration = .seconds(5)
    ) async throws(StoreError) -> String {
        if let state, isPostgres(state) {
            let location = try PostgresLocation(url: state)
            let password = try location.password(passwordEnv: passwordEnv, environment: environment)
            var quiet = Logger(label: "promote.store")
            quiet.logLevel = .critical
            let logger = quiet
            do {
                try await PostgresStore.within(timeout, "connect") {
                    try await PostgresStore.checkLogin(location, password: password, connectTimeout: timeout, logger: logger)
                }
            } catch {
                throw PostgresStore.storeError("open \(location)", error)
            }
            return location.description
        }
        let path = try Self.path(for: state, environment: environment)
        let files = FileManager.default
        if files.fileExists(atPath: path) {
            guard files.isReadableFile(atPath: path), files.isWritableFile(atPath: path) else {
                throw StoreError(operation: "open \(path)", message: "the file is not readable and writable by this user")
            }
            return path
        }
        var directory = (path as NSString).deletingLastPathComponent
        while !directory.isEmpty, !files.fileExists(atPath: directory) { directory = (directory as NSString).deletingLastPathComponent }
        if directory.isEmpty { directory = files.currentDirectoryPath }
        guard files.isWritableFile(atPath: directory) else {
            throw StoreError(operation: "open \(path)", message: "\(directory) is not writable by this user, so the file cannot be created")
        }
        return path
    }
}
