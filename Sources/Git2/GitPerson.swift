public import Foundation

/// An author or committer identity, with an optional fixed time (nil: now).
public struct GitPerson: Sendable, Hashable {
    public var name: String
    public var email: String
    public var time: Date?

    public init(name: String, email: String, time: Date? = nil) {
        self.name = name
        self.email = email
        self.time = time
    }
}
