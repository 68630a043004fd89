/// One reference advertised by a remote (ls-remote).
public struct RemoteHead: Sendable, Hashable {
    public var name: String
    public var id: ObjectID
    /// For a symbolic reference such as HEAD, what it points to.
    public var symrefTarget: String?

    public init(name: String, id: ObjectID, symrefTarget: String?) {
        self.name = name
        self.id = id
        self.symrefTarget = symrefTarget
    }
}
