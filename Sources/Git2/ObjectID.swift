internal import Clibgit2

/// A git object id (SHA-1), kept as lowercase hex.
public struct ObjectID: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    /// 40 lowercase hex digits.
    public let hex: String

    /// Parses 40 hex digits; nil otherwise.
    public init?(hex: String) {
        guard hex.utf8.count == 40, hex.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || ($0 >= 65 && $0 <= 70) })
        else { return nil }
        self.hex = hex.lowercased()
    }

    init(_ oid: git_oid) {
        var copy = oid
        var buffer = [CChar](repeating: 0, count: 41)
        _ = git_oid_fmt(&buffer, &copy)
        buffer[40] = 0
        self.hex = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    init(_ pointer: UnsafePointer<git_oid>) { self.init(pointer.pointee) }

    var oid: git_oid {
        var oid = git_oid()
        _ = git_oid_fromstr(&oid, hex)
        return oid
    }

    /// Whether this is the all-zero id libgit2 uses for "no object".
    public var isZero: Bool { hex.utf8.allSatisfy { $0 == 48 } }

    public var description: String { hex }
    public static func < (a: ObjectID, b: ObjectID) -> Bool { a.hex < b.hex }
}
