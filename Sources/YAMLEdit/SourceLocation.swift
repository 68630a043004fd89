/// A position in a YAML source: a byte offset into the original bytes, plus the 1-based line and column
/// (columns count Unicode scalars, as libyaml does) for messages.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// Byte offset from the first byte of the source (a BOM included).
    public var offset: Int
    /// 1-based line number.
    public var line: Int
    /// 1-based column, counted in Unicode scalars.
    public var column: Int

    /// Creates a location.
    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// `line:column`.
    public var description: String { "\(line):\(column)" }
}

/// A half-open byte range of the source, `start.offset ..< end.offset`, with the positions of both ends.
public struct SourceSpan: Sendable, Hashable, CustomStringConvertible {
    /// The first byte of the node (for a node with an anchor or tag, the first byte of those properties).
    public var start: SourceLocation
    /// One past the last byte of the node.
    public var end: SourceLocation

    /// Creates a span.
    public init(start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = end
    }

    /// The byte range in the source.
    public var bytes: Range<Int> { start.offset..<end.offset }

    /// `line:column-line:column`.
    public var description: String { "\(start)-\(end)" }
}
