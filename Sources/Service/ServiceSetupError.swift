/// Why `promote serve` cannot start (a missing secret, a bad listen address ...).
public struct ServiceSetupError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
