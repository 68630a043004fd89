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
        return Source(file: file.name, root: try convert(document.root, file: file.name))
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
