internal import YAMLEdit

extension ConfigDecoder {
    /// A configuration file's name and bytes.
    public struct File: Sendable {
        public var name: String
        public var bytes: [UInt8]

        public init(name: String, bytes: [UInt8]) {
            self.name = name
            self.bytes = bytes
        }
    }

    /// Parses and decodes `promote.yaml` (and the files of its `environmentsDir`).
    public static func decode(yaml main: File, environmentFiles: [File] = []) throws(ConfigError) -> PromoteConfig {
        try decode(try parse(main), environmentFiles: environmentFiles.map { file throws(ConfigError) in try parse(file) })
    }

    /// The `environmentsDir:` a main file names, so that the caller can read that directory before decoding.
    public static func environmentsDir(of main: File) throws(ConfigError) -> String? {
        guard case .mapping(let entries) = try parse(main).root.value,
            let entry = entries.first(where: { $0.key == "environmentsDir" }),
            case .scalar(let dir, _) = entry.value.value
        else { return nil }
        return dir
    }

    /// One YAML document as a ``ConfigNode`` tree; invalid YAML, duplicate keys, anchors/aliases and several
    /// documents are refused with their position.
    static func parse(_ file: File) throws(ConfigError) -> Source {
        func fail(_ line: Int, _ message: String) -> ConfigError {
            ConfigError(problems: [.init(file: file.name, line: line, key: "", message: message)])
        }
        if let line = lineOfFlowNesting(deeperThan: maxDepth, in: file.bytes) {
            throw fail(line, "nests deeper than \(maxDepth) levels; a configuration never needs that many")
        }
        let stream: YAMLStream
        do { stream = try YAMLStream(bytes: file.bytes, file: file.name) } catch {
            throw fail(error.location?.line ?? 0, "is not valid YAML: \(error.reason)")
        }
        if let duplicate = stream.duplicateKeys.first {
            throw fail(duplicate.duplicate.line, "key '\(duplicate.key)' appears twice (first on line \(duplicate.first.line))")
        }
        let documents = stream.documents.filter { !$0.isEmpty }
        guard documents.count <= 1 else { throw fail(documents[1].span.start.line, "must hold one YAML document, not \(documents.count)") }
        guard let document = documents.first else { return Source(file: file.name, root: ConfigNode(.mapping([]), line: 1, column: 1)) }
        if let deep = firstNode(deeperThan: maxDepth, in: document.root) {
            throw fail(deep.span.start.line, "nests deeper than \(maxDepth) levels; a configuration never needs that many")
        }
        return Source(file: file.name, root: try convert(document.root, file: file.name))
    }

    /// How deeply mappings and lists may nest in a configuration file. The converter below recurses once per
    /// level; a file nested thousands deep is refused before it, instead of exhausting the stack.
    public static let maxDepth = 64

    /// The line where flow collections (`[`, `{`) nest deeper than `limit`, found in one pass over the bytes before
    /// the YAML parser builds anything: `x: [[[[…]]]]` thirty thousand deep is refused at once. Quoted scalars and
    /// comments are skipped; a bracket counts only where a flow collection can start (after `: `, `- `, `,`, `[`,
    /// `{` or at the start of a line), so brackets inside plain scalars do not. Block nesting needs two bytes of
    /// indentation per level, so ``firstNode(deeperThan:in:)`` bounds it after parsing.
    static func lineOfFlowNesting(deeperThan limit: Int, in bytes: [UInt8]) -> Int? {
        var depth = 0, line = 1, i = 0
        var previous: UInt8 = UInt8(ascii: "\n")  // the last byte that is not a space
        var quote: UInt8? = nil
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\n") { line += 1 }
            if let q = quote {
                if byte == q {
                    if q == UInt8(ascii: "'"), i + 1 < bytes.count, bytes[i + 1] == q { i += 2; continue }  // '' escape
                    quote = nil
                    previous = q
                } else if q == UInt8(ascii: "\""), byte == UInt8(ascii: "\\") {
                    i += 2
                    continue
                }
                i += 1
                continue
            }
            let valueStart = [UInt8(ascii: ":"), UInt8(ascii: "-"), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "\n")]
                .contains(previous)
            let afterSpace = i == 0 || bytes[i - 1] == UInt8(ascii: " ") || bytes[i - 1] == UInt8(ascii: "\t") || bytes[i - 1] == UInt8(ascii: "\n")
            if byte == UInt8(ascii: "#"), afterSpace {
                while i < bytes.count, bytes[i] != UInt8(ascii: "\n") { i += 1 }
                continue
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'"), valueStart {
                quote = byte
            } else if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
                guard valueStart else {  // inside a plain scalar: not a collection, and the next one is not either
                    previous = UInt8(ascii: "a")
                    i += 1
                    continue
                }
                depth += 1
                if depth > limit { return line }
            } else if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") {
                depth = max(0, depth - 1)
            }
            if byte != UInt8(ascii: " "), byte != UInt8(ascii: "\t"), byte != UInt8(ascii: "\r") { previous = byte }
            i += 1
        }
        return nil
    }

    /// The first node nested deeper than `limit` (the root is depth 1), found without recursion.
    static func firstNode(deeperThan limit: Int, in root: YAMLNode) -> YAMLNode? {
        var stack: [(node: YAMLNode, depth: Int)] = [(root, 1)]
        while let (node, depth) = stack.popLast() {
            if depth > limit { return node }
            switch node.kind {
            case .sequence: stack.append(contentsOf: node.items.map { ($0, depth + 1) })
            case .mapping: stack.append(contentsOf: node.entries.map { ($0.value, depth + 1) })
            case .scalar, .alias: break
            }
        }
        return nil
    }

    static func convert(_ node: YAMLNode, file: String) throws(ConfigError) -> ConfigNode {
        let line = node.span.start.line, column = node.span.start.column
        switch node.kind {
        case .scalar:
            return ConfigNode(.scalar(node.scalar ?? "", isPlain: node.style == .plain && node.tag == nil), line: line, column: column)
        case .sequence:
            var items: [ConfigNode] = []
            for item in node.items { items.append(try convert(item, file: file)) }
            return ConfigNode(.sequence(items), line: line, column: column)
        case .mapping:
            var entries: [ConfigNode.Entry] = []
            for entry in node.entries {
                guard entry.key.kind == .scalar, let key = entry.key.scalar else {
                    throw ConfigError(problems: [.init(file: file, line: entry.key.span.start.line, key: "", message: "keys must be plain strings")])
                }
                entries.append(.init(key: key, keyLine: entry.key.span.start.line, value: try convert(entry.value, file: file)))
            }
            return ConfigNode(.mapping(entries), line: line, column: column)
        case .alias:
            throw ConfigError(problems: [.init(file: file, line: line, key: "", message: "aliases (*name) are not supported in configuration")])
        }
    }
}
