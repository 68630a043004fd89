/// A parsed configuration value with its source position: the neutral tree the config decoder reads, whatever
/// parsed it (YAML for `promote.yaml`, tests building values directly).
public struct ConfigNode: Sendable, Hashable {
    /// The shape of a node.
    public indirect enum Value: Sendable, Hashable {
        case mapping([Entry])
        case sequence([ConfigNode])
        /// A scalar's text; `isPlain` is false when it was quoted (then `null`, `true`, `10` are strings).
        case scalar(String, isPlain: Bool)
    }

    /// One key of a mapping, with the position of the key itself.
    public struct Entry: Sendable, Hashable {
        public var key: String
        public var keyLine: Int
        public var value: ConfigNode

        public init(key: String, keyLine: Int, value: ConfigNode) {
            self.key = key
            self.keyLine = keyLine
            self.value = value
        }
    }

    public var value: Value
    /// 1-based line in the source file.
    public var line: Int
    /// 1-based column in the source file.
    public var column: Int

    public init(_ value: Value, line: Int = 0, column: Int = 0) {
        self.value = value
        self.line = line
        self.column = column
    }

    /// True for an empty plain scalar or `null`/`~`.
    public var isNull: Bool {
        if case .scalar(let text, true) = value { return text.isEmpty || text == "null" || text == "~" || text == "Null" || text == "NULL" }
        return false
    }
}
