internal import GRDB
public import Promotion

/// A state-store operation that failed, naming the operation and the database's reason.
public struct StoreError: Error, Sendable, CustomStringConvertible, TemporarilyUnavailable {
    public var operation: String
    public var message: String
    /// True when the database could not be written for now (locked, busy, disk full, read-only, I/O error):
    /// the service answers 503 with `Retry-After` instead of 500, and without the database's text.
    public var isTemporarilyUnavailable: Bool

    public init(operation: String, message: String, isTemporarilyUnavailable: Bool = false) {
        self.operation = operation
        self.message = message
        self.isTemporarilyUnavailable = isTemporarilyUnavailable
    }

    init(operation: String, underlying: any Error) {
        self.init(
            operation: operation, message: String(describing: underlying),
            isTemporarilyUnavailable: (underlying as? DatabaseError).map { Self.unavailableCodes.contains($0.resultCode.primaryResultCode) } ?? false)
    }

    /// SQLite's answers that mean "not now" rather than "never".
    static let unavailableCodes: [ResultCode] = [.SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_READONLY, .SQLITE_CANTOPEN]

    public var description: String { "state store: \(operation) failed: \(message)" }
}
