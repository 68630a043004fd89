/// Progress of a fetch (objects received and indexed) or a push (objects sent).
public struct TransferProgress: Sendable, Hashable {
    /// Whether this is a push's progress.
    public var isPush: Bool
    public var totalObjects: Int
    public var receivedObjects: Int
    public var indexedObjects: Int
    public var bytes: Int

    public init(isPush: Bool, totalObjects: Int, receivedObjects: Int, indexedObjects: Int, bytes: Int) {
        self.isPush = isPush
        self.totalObjects = totalObjects
        self.receivedObjects = receivedObjects
        self.indexedObjects = indexedObjects
        self.bytes = bytes
    }
}
