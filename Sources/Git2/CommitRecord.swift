import Foundation

/// A commit read from a repository.
public struct CommitRecord: Sendable, Hashable {
    public var id: ObjectID
    public var tree: ObjectID
    public var parents: [ObjectID]
    public var message: String
    public var author: GitPerson
    public var committer: GitPerson

    public init(id: ObjectID, tree: ObjectID, parents: [ObjectID], message: String, author: GitPerson, committer: GitPerson) {
        self.id = id
        self.tree = tree
        self.parents = parents
        self.message = message
        self.author = author
        self.committer = committer
    }
}
