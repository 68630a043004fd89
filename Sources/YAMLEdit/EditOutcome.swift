/// The result of `YAMLStream.apply(_:)`: the new bytes and what the targets held before.
public struct EditOutcome: Sendable {
    /// The edited bytes (the original bytes when nothing changed).
    public let bytes: [UInt8]
    /// Each edit's target value before the edit (its scalar text), in the order of the edits.
    public let previousValues: [String?]
    /// Whether any target changed (false: every target already read as its new string).
    public let changed: Bool
}
