/// What a reference must hold for a compare-and-swap update to go ahead.
public enum ReferenceExpectation: Sendable, Hashable {
    /// Anything (no check).
    case any
    /// The reference must not exist.
    case absent
    /// The reference must point at this id.
    case at(ObjectID)
}
