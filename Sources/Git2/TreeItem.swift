/// One entry of a tree.
public struct TreeItem: Sendable, Hashable {
    /// What an entry is, from its file mode.
    public enum Kind: Sendable, Hashable {
        case file
        case executable
        case symlink
        case directory
        case submodule
    }

    /// The entry's name within its directory.
    public var name: String
    /// The blob, tree or (for a submodule) commit id.
    public var id: ObjectID
    public var kind: Kind

    public init(name: String, id: ObjectID, kind: Kind) {
        self.name = name
        self.id = id
        self.kind = kind
    }

    static func kind(filemode: UInt32) -> Kind {
        switch filemode {
        case 0o040000: return .directory
        case 0o120000: return .symlink
        case 0o160000: return .submodule
        case 0o100755: return .executable
        default: return .file
        }
    }
}
