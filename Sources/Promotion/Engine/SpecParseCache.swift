internal import Foundation
internal import Synchronization
internal import YAMLEdit

/// Parsed specs by content, for one pass over many specs (a reconciliation): a file looked at twice (for the live
/// and for the proposed version of a pull-request environment) is parsed once. Counts the parses it did.
public final class SpecParseCache: Sendable {
    private let state = Mutex<(streams: [Key: YAMLStream], count: Int)>(([:], 0))

    public init() {}

    /// How many files were parsed (cache misses).
    public var parses: Int { state.withLock { $0.count } }

    /// The parsed stream of `bytes`, parsed now unless the same bytes were parsed before.
    func stream(of bytes: Data, file: String) throws(YAMLSourceError) -> YAMLStream {
        let key = Key(file: file, bytes: bytes)
        if let cached = state.withLock({ $0.streams[key] }) { return cached }
        let stream = try YAMLStream.forEditing(bytes: Array(bytes), file: file)
        state.withLock {
            $0.streams[key] = stream
            $0.count += 1
        }
        return stream
    }

    /// The file name is part of the key: it appears in the messages of a refused edit.
    private struct Key: Hashable {
        var file: String
        var bytes: Data
    }
}
