internal import Clibyaml

/// Drives libyaml's event parser over a byte buffer and records every node with its exact byte span.
///
/// libyaml marks count Unicode scalars (code points), not bytes, and do not count a leading BOM. `MarkMapper`
/// converts them by walking the buffer incrementally from the previous mark (events arrive in nearly increasing
/// order), so the conversion is linear in the input size; pure-ASCII input takes a constant-time path.
struct EventScanner {
    /// Parses `source[origin...]`. Marks are shifted so that offsets are relative to `source`, and lines start at
    /// `lineBase` (0-based, added to libyaml's lines).
    static func parse(
        _ source: [UInt8], from origin: Int = 0, lineBase: Int = 0, columnBase: Int = 0
    ) throws(YAMLSourceError) -> NodeStorage {
        var bom = 0
        if origin == 0 {
            if source.starts(with: [0xEF, 0xBB, 0xBF]) {
                bom = 3
            } else if source.starts(with: [0xFF, 0xFE]) || source.starts(with: [0xFE, 0xFF]) {
                throw YAMLSourceError(
                    .unsupportedEncoding, "refused: the file is UTF-16 (byte order mark); only UTF-8 is edited",
                    at: SourceLocation(offset: 0, line: 1, column: 1))
            }
        }
        var builder = Builder(lineBase: lineBase, columnBase: columnBase, expectedBytes: source.count - origin)
        let result: Result<Void, YAMLSourceError> = source.withUnsafeBufferPointer { buffer in
            let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
            defer { parser.deallocate() }
            guard yaml_parser_initialize(parser) == 1 else {
                return .failure(YAMLSourceError(.invalidYAML, "libyaml could not allocate a parser"))
            }
            defer { yaml_parser_delete(parser) }
            var mapper = MarkMapper(buffer: buffer, origin: origin + bom)
            let empty: [UInt8] = [0]
            return empty.withUnsafeBufferPointer { emptyBuffer in
                if origin < buffer.count, let base = buffer.baseAddress {
                    yaml_parser_set_input_string(parser, base + origin, buffer.count - origin)
                } else {
                    yaml_parser_set_input_string(parser, emptyBuffer.baseAddress, 0)
                }
                return Result { () throws(YAMLSourceError) in
                    try builder.run(parser, &mapper)
                }
            }
        }
        try result.get()
        let json = origin == 0 && JSONValidator.isJSON(source, from: bom)
        return builder.finish(source: source, isJSON: json)
    }

    /// The deepest nesting of collections accepted. Manifests nest a few dozen levels; libyaml spends time
    /// proportional to the open flow collections on every token, so an unbounded depth makes parsing quadratic.
    static let maxDepth = 1000
    /// The deepest nesting of flow collections (`[`, `{`, every level of a JSON document) accepted.
    static let maxFlowDepth = 128

    /// libyaml's bare event parse of `source`: events are read and freed, nothing is recorded.
    /// Returns the number of events. Used as the benchmark's baseline.
    static func countEvents(_ source: [UInt8]) throws(YAMLSourceError) -> Int {
        let result: Result<Int, YAMLSourceError> = source.withUnsafeBufferPointer { buffer in
            let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
            defer { parser.deallocate() }
            guard yaml_parser_initialize(parser) == 1 else {
                return .failure(YAMLSourceError(.invalidYAML, "libyaml could not allocate a parser"))
            }
            defer { yaml_parser_delete(parser) }
            let empty: [UInt8] = [0]
            return empty.withUnsafeBufferPointer { emptyBuffer in
                yaml_parser_set_input_string(
                    parser, buffer.count > 0 ? buffer.baseAddress : emptyBuffer.baseAddress, buffer.count)
                var count = 0
                var event = yaml_event_t()
                while true {
                    guard yaml_parser_parse(parser, &event) == 1 else {
                        return .failure(YAMLSourceError(.invalidYAML, "invalid YAML"))
                    }
                    count += 1
                    let done = event.type == YAML_STREAM_END_EVENT
                    yaml_event_delete(&event)
                    if done { return .success(count) }
                }
            }
        }
        return try result.get()
    }
}

/// Converts libyaml code-point indexes to byte offsets by walking from the last converted position.
struct MarkMapper {
    let buffer: UnsafeBufferPointer<UInt8>
    let origin: Int
    let ascii: Bool
    private var index = 0
    private var byte: Int

    init(buffer: UnsafeBufferPointer<UInt8>, origin: Int) {
        self.buffer = buffer
        self.origin = origin
        self.byte = origin
        var high: UInt8 = 0
        var i = origin
        while i < buffer.count {
            high |= buffer[i]
            i += 1
        }
        self.ascii = high < 0x80
    }

    mutating func offset(ofIndex target: Int) -> Int {
        if ascii { return min(origin + target, buffer.count) }
        while index < target && byte < buffer.count {
            let lead = buffer[byte]
            byte += lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            index += 1
        }
        while index > target && byte > origin {
            byte -= 1
            while byte > origin && buffer[byte] & 0xC0 == 0x80 { byte -= 1 }
            index -= 1
        }
        return min(byte, buffer.count)
    }
}

/// Accumulates nodes while events stream by.
private struct Builder {
    let lineBase: Int
    let columnBase: Int
    var nodes: [NodeRecord] = []
    var children: [Int32] = []
    var arena: [UInt8] = []
    var documents: [DocumentRecord] = []
    var duplicateKeys: [DuplicateKey] = []
    /// Child ids of the open collections, innermost last; `open` holds (node id, first index in `pending`).
    var pending: [Int32] = []
    var open: [(id: Int32, mark: Int)] = []
    var anchors: [String: Int32] = [:]
    /// Open flow collections.
    var flowDepth = 0

    init(lineBase: Int, columnBase: Int, expectedBytes: Int) {
        self.lineBase = lineBase
        self.columnBase = columnBase
        // Typical manifests hold one node per 8-20 bytes and values of about half the bytes.
        nodes.reserveCapacity(max(64, expectedBytes / 8))
        children.reserveCapacity(max(64, expectedBytes / 8))
        arena.reserveCapacity(max(256, expectedBytes / 2))
    }

    func location(_ mark: yaml_mark_t, _ mapper: inout MarkMapper) -> SourceLocation {
        let line = Int(mark.line)
        return SourceLocation(
            offset: mapper.offset(ofIndex: Int(mark.index)), line: line + lineBase + 1,
            column: Int(mark.column) + 1 + (line == 0 ? columnBase : 0))
    }

    mutating func store(_ pointer: UnsafeMutablePointer<yaml_char_t>?, length: Int? = nil) -> (Int32, Int32) {
        guard let pointer else { return (-1, 0) }
        let count = length ?? strlen(UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
        let start = Int32(arena.count)
        arena.append(contentsOf: UnsafeBufferPointer(start: pointer, count: count))
        return (start, Int32(count))
    }

    mutating func newNode(_ kind: YAMLNode.Kind, _ event: yaml_event_t, _ mapper: inout MarkMapper) -> Int32 {
        let start = location(event.start_mark, &mapper)
        let end = location(event.end_mark, &mapper)
        var record = NodeRecord(kind: kind)
        record.startOffset = Int32(start.offset)
        record.startLine = Int32(start.line)
        record.startColumn = Int32(start.column)
        record.endOffset = Int32(end.offset)
        record.endLine = Int32(end.line)
        record.endColumn = Int32(end.column)
        if let parent = open.last {
            record.parent = parent.id
            record.inFlow = nodes[Int(parent.id)].inFlow
        }
        let id = Int32(nodes.count)
        nodes.append(record)
        if open.isEmpty {
            if !documents.isEmpty { documents[documents.count - 1].root = id }
        } else {
            pending.append(id)
        }
        return id
    }

    mutating func properties(_ id: Int32, anchor: UnsafeMutablePointer<yaml_char_t>?, tag: UnsafeMutablePointer<yaml_char_t>?) {
        if let anchor {
            let (s, l) = store(anchor)
            nodes[Int(id)].anchorStart = s
            nodes[Int(id)].anchorLength = l
            anchors[String(cString: UnsafeRawPointer(anchor).assumingMemoryBound(to: CChar.self))] = id
        }
        if let tag {
            let (s, l) = store(tag)
            nodes[Int(id)].tagStart = s
            nodes[Int(id)].tagLength = l
        }
    }

    /// Opens collection `id`, refusing a nesting deeper than the limits (before libyaml reads further).
    mutating func push(_ id: Int32) throws(YAMLSourceError) {
        let flow = nodes[Int(id)].isFlow
        if open.count >= EventScanner.maxDepth || (flow && flowDepth >= EventScanner.maxFlowDepth) {
            let n = nodes[Int(id)]
            let (limit, what) = open.count >= EventScanner.maxDepth
                ? (EventScanner.maxDepth, "collections") : (EventScanner.maxFlowDepth, "flow collections ([ ], { })")
            throw YAMLSourceError(
                .nestingTooDeep,
                "refused: \(what) nested more than \(limit) deep; no manifest nests that deep (the limit keeps parsing time linear in the size of the file)",
                at: SourceLocation(offset: Int(n.startOffset), line: Int(n.startLine), column: Int(n.startColumn)))
        }
        if flow { flowDepth += 1 }
        open.append((id, pending.count))
    }

    mutating func close(_ event: yaml_event_t, _ mapper: inout MarkMapper) {
        guard let (id, mark) = open.popLast() else { return }
        if nodes[Int(id)].isFlow { flowDepth -= 1 }
        let end = location(event.end_mark, &mapper)
        let start = Int32(children.count)
        children.append(contentsOf: pending[mark...])
        pending.removeSubrange(mark...)
        var record = nodes[Int(id)]
        record.childStart = start
        record.childCount = Int32(children.count) - start
        record.endOffset = Int32(end.offset)
        record.endLine = Int32(end.line)
        record.endColumn = Int32(end.column)
        nodes[Int(id)] = record
        if record.kind == .mapping { findDuplicates(record) }
    }

    mutating func findDuplicates(_ mapping: NodeRecord) {
        let count = Int(mapping.childCount) / 2
        guard count > 1 else { return }
        let base = Int(mapping.childStart)
        func key(_ i: Int) -> NodeRecord { nodes[Int(children[base + 2 * i])] }
        func bytes(_ n: NodeRecord) -> ArraySlice<UInt8> {
            arena[Int(n.valueStart)..<Int(n.valueStart + n.valueLength)]
        }
        func report(_ first: NodeRecord, _ second: NodeRecord) {
            duplicateKeys.append(
                DuplicateKey(
                    key: String(decoding: bytes(second), as: UTF8.self),
                    first: SourceLocation(offset: Int(first.startOffset), line: Int(first.startLine), column: Int(first.startColumn)),
                    duplicate: SourceLocation(
                        offset: Int(second.startOffset), line: Int(second.startLine), column: Int(second.startColumn))))
        }
        if count <= 12 {
            for j in 1..<count {
                let b = key(j)
                guard b.kind == .scalar else { continue }
                for i in 0..<j {
                    let a = key(i)
                    if a.kind == .scalar && a.valueLength == b.valueLength && bytes(a) == bytes(b) {
                        report(a, b)
                        break
                    }
                }
            }
        } else {
            var seen: [ArraySlice<UInt8>: Int] = [:]
            for i in 0..<count {
                let k = key(i)
                guard k.kind == .scalar else { continue }
                if let first = seen[bytes(k)] {
                    report(key(first), k)
                } else {
                    seen[bytes(k)] = i
                }
            }
        }
    }

    mutating func run(_ parser: UnsafeMutablePointer<yaml_parser_t>, _ mapper: inout MarkMapper) throws(YAMLSourceError) {
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(parser, &event) == 1 else {
                throw error(parser, &mapper)
            }
            defer { yaml_event_delete(&event) }
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return
            case YAML_DOCUMENT_START_EVENT:
                anchors = [:]
                let start = location(event.start_mark, &mapper)
                documents.append(
                    DocumentRecord(
                        start: start, end: start, explicitStart: event.data.document_start.implicit == 0,
                        firstNode: Int32(nodes.count)))
            case YAML_DOCUMENT_END_EVENT:
                let i = documents.count - 1
                documents[i].end = location(event.end_mark, &mapper)
                documents[i].explicitEnd = event.data.document_end.implicit == 0
                documents[i].nodeEnd = Int32(nodes.count)
            case YAML_SCALAR_EVENT:
                let id = newNode(.scalar, event, &mapper)
                let scalar = event.data.scalar
                let (s, l) = store(scalar.value, length: scalar.length)
                nodes[Int(id)].valueStart = s
                nodes[Int(id)].valueLength = l
                nodes[Int(id)].style =
                    switch scalar.style {
                    case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
                    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
                    case YAML_LITERAL_SCALAR_STYLE: .literal
                    case YAML_FOLDED_SCALAR_STYLE: .folded
                    default: .plain
                    }
                properties(id, anchor: scalar.anchor, tag: scalar.tag)
            case YAML_ALIAS_EVENT:
                let id = newNode(.alias, event, &mapper)
                let (s, l) = store(event.data.alias.anchor)
                nodes[Int(id)].valueStart = s
                nodes[Int(id)].valueLength = l
                let name = String(cString: UnsafeRawPointer(event.data.alias.anchor).assumingMemoryBound(to: CChar.self))
                nodes[Int(id)].childStart = anchors[name] ?? -1
            case YAML_SEQUENCE_START_EVENT:
                let id = newNode(.sequence, event, &mapper)
                let data = event.data.sequence_start
                properties(id, anchor: data.anchor, tag: data.tag)
                if data.style == YAML_FLOW_SEQUENCE_STYLE {
                    nodes[Int(id)].isFlow = true
                    nodes[Int(id)].inFlow = true
                }
                try push(id)
            case YAML_MAPPING_START_EVENT:
                let id = newNode(.mapping, event, &mapper)
                let data = event.data.mapping_start
                properties(id, anchor: data.anchor, tag: data.tag)
                if data.style == YAML_FLOW_MAPPING_STYLE {
                    nodes[Int(id)].isFlow = true
                    nodes[Int(id)].inFlow = true
                }
                try push(id)
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                close(event, &mapper)
            default:
                break
            }
        }
    }

    func error(_ parser: UnsafeMutablePointer<yaml_parser_t>, _ mapper: inout MarkMapper) -> YAMLSourceError {
        let p = parser.pointee
        let problem = p.problem.map { String(cString: $0) } ?? "unknown problem"
        var reason = "invalid YAML: "
        if let context = p.context.map({ String(cString: $0) }) { reason += "\(context): " }
        reason += problem
        var at: SourceLocation
        if p.error == YAML_READER_ERROR {
            // Reader errors carry a byte offset, not a mark.
            let offset = min(mapper.origin + Int(p.problem_offset), mapper.buffer.count)
            var line = 1
            var column = 1
            var i = mapper.origin
            while i < offset {
                if mapper.buffer[i] == 0x0A {
                    line += 1
                    column = 1
                } else if mapper.buffer[i] & 0xC0 != 0x80 {
                    column += 1
                }
                i += 1
            }
            at = SourceLocation(offset: offset, line: line + lineBase, column: column)
            if p.problem_value != -1 { reason += " (value 0x\(String(UInt32(bitPattern: p.problem_value), radix: 16, uppercase: true)))" }
        } else {
            at = location(p.problem_mark, &mapper)
        }
        return YAMLSourceError(.invalidYAML, reason, at: at)
    }

    func finish(source: [UInt8], isJSON: Bool) -> NodeStorage {
        NodeStorage(
            source: source, nodes: nodes, children: children, arena: arena, documents: documents,
            duplicateKeys: duplicateKeys, isJSON: isJSON)
    }
}
