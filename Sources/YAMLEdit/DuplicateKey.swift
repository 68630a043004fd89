/// A key that appears twice in one mapping. libyaml accepts it; readers that need one meaning per key refuse it.
public struct DuplicateKey: Sendable, Hashable, CustomStringConvertible {
    /// The key's scalar value.
    public var key: String
    /// Where the key first appears.
    public var first: SourceLocation
    /// Where it appears again.
    public var duplicate: SourceLocation

    /// Creates a record.
    public init(key: String, first: SourceLocation, duplicate: SourceLocation) {
        self.key = key
        self.first = first
        self.duplicate = duplicate
    }

    /// `duplicate key "x" at 7:3 (first at 2:3)`.
    public var description: String { "duplicate key \"\(key)\" at \(duplicate) (first at \(first))" }
}
