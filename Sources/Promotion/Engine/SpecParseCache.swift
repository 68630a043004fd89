internal import Foundation
internal import YAMLEdit

/// Parsed specs by content, for one pass over many specs (a reconciliation): a file looked at twice (for the live
/// and for the proposed version of a pull-request environment) is parsed once. Counts the parses it did.
public final class SpecParseCache: @unchecked Sendable {
    private let lock = NSLock()
    private var streams: [Key: YAMLStream] = [:]
    private var count = 0

    public init() {}

    /// How many files were parsed (cache misses).
    public var parses: Int { lock.withLock { count } }

    /// The parsed stream of `bytes`, parsed now unless the same bytes were parsed before.
    func stream(of bytes: Data, file: String) throws(YAMLSourceError) -> YAMLStream {
        let key = Key(file: file, bytes: bytes)
        if let cached = lock.withLock({ streams[key] }) { return cached }
        let stream = try YAMLStream.forEditing(bytes: Array(bytes), file: file)
        lock.withLock {
            streams[key] = stream
            count += 1
        }
        return stream
    }

    /// The file name is part of the key: it appears in the messages of a refused edit.
    private struct Key: Hashable {
        var file: String
        var bytes: Data
    }
}
