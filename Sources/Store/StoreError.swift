/// A state-store operation that failed, naming the operation and the database's reason.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var message: String

    public init(operation: String, message: String) {
        self.operation = operation
        self.message = message
    }

    init(operation: String, underlying: any Error) {
        self.init(operation: operation, message: String(describing: underlying))
    }

    public var description: String { "state store: \(operation) failed: \(message)" }
}
