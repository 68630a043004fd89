/// Recognises Helm (Go) templates, which are not YAML until rendered and must never be edited as YAML.
///
/// A template action where YAML expects a value or a line (`replicas: {{ .Values.n }}`, `{{- if … }}`) either
/// breaks the parse or turns into a flow mapping used as a key; a Helm action (`{{ .x }}`, `{{ $v }}`,
/// `{{- include … }}`) inside a plain scalar is a template too. Braces inside quoted or block scalars of
/// otherwise valid YAML (Argo CD ApplicationSets, Argo Workflows parameters, `'{{ .Release.Namespace }}'`) are
/// data: the file parses, the edit touches only its target, and the re-parse check proves it.
enum TemplateDetector {
    static func check(_ stream: YAMLStream) throws(YAMLSourceError) {
        let storage = stream.storage
        let src = storage.source
        if !storage.isJSON { try checkTabIndentation(storage) }
        for (id, node) in storage.nodes.enumerated() {
            switch node.kind {
            case .mapping:
                if node.isFlow && startsWithBraces(src, Int(node.startOffset)) {
                    throw helm(storage, id)
                }
                var i = 0
                while i < Int(node.childCount) {
                    let key = Int(storage.children[Int(node.childStart) + i])
                    let k = storage.nodes[key]
                    if k.kind == .mapping || k.kind == .sequence {
                        if startsWithBraces(src, Int(k.startOffset)) { throw helm(storage, key) }
                        throw YAMLSourceError(
                            .nonScalarKey, "refused: a mapping key is a \(k.kind == .mapping ? "mapping" : "sequence"); the file is not a manifest the editor can handle",
                            at: storage.location(start: key))
                    }
                    i += 2
                }
            case .scalar where node.style == .plain:
                let value = storage.arena[Int(node.valueStart)..<Int(node.valueStart + node.valueLength)]
                if let action = helmAction(in: value) {
                    throw YAMLSourceError(
                        .helmTemplate, "refused: Helm template action \(action) in an unquoted value; this is a chart template, not a manifest (edit the chart's values instead)",
                        at: storage.location(start: id))
                }
            default:
                break
            }
        }
    }

    /// Refuses a tab in the indentation of a line that starts structure (not inside a multi-line scalar).
    /// libyaml tolerates it in flow collections, but YAML forbids tabs for indentation and other tools (PyYAML, the
    /// judge of every edit) reject such files, so they are not edited. JSON documents (tabs are JSON whitespace) are
    /// not checked. Lines and multi-line scalars are both in source order, so one forward pass over each suffices.
    static func checkTabIndentation(_ storage: NodeStorage) throws(YAMLSourceError) {
        let src = storage.source
        var multiLine: [Range<Int>]?
        var next = 0
        var lineStart = 0
        var line = 1
        while lineStart < src.count {
            var i = lineStart
            var sawTab = false
            while i < src.count && (src[i] == 0x20 || src[i] == 0x09) {
                if src[i] == 0x09 { sawTab = true }
                i += 1
            }
            if sawTab && i < src.count && src[i] != 0x0A && src[i] != 0x0D && src[i] != UInt8(ascii: "#") {
                let ranges = multiLine ?? storage.nodes.filter { $0.kind == .scalar && $0.startLine != $0.endLine }
                    .map { Int($0.startOffset)..<Int($0.endOffset) }
                multiLine = ranges
                while next < ranges.count && ranges[next].upperBound <= i { next += 1 }
                if next == ranges.count || !ranges[next].contains(i) {
                    throw YAMLSourceError(
                        .invalidYAML, "refused: a tab character indents this line; YAML forbids tabs for indentation and other YAML tools reject the file",
                        at: SourceLocation(offset: lineStart, line: line, column: 1))
                }
            }
            while i < src.count && src[i] != 0x0A { i += 1 }
            lineStart = i + 1
            line += 1
        }
    }

    private static func startsWithBraces(_ src: [UInt8], _ i: Int) -> Bool {
        i + 1 < src.count && src[i] == UInt8(ascii: "{") && src[i + 1] == UInt8(ascii: "{")
    }

    private static func helm(_ storage: NodeStorage, _ id: Int) -> YAMLSourceError {
        let line = lineText(storage.source, at: Int(storage.nodes[id].startOffset))
        return YAMLSourceError(
            .helmTemplate, "refused: Helm template action where YAML expects a value (\(line)); this is a chart template, not a manifest",
            at: storage.location(start: id))
    }

    /// The text of the line holding byte `offset`, trimmed.
    static func lineText(_ src: [UInt8], at offset: Int) -> String {
        var s = min(offset, src.count)
        while s > 0 && src[s - 1] != 0x0A { s -= 1 }
        var e = min(offset, src.count)
        while e < src.count && src[e] != 0x0A && src[e] != 0x0D { e += 1 }
        var text = String(decoding: src[s..<e], as: UTF8.self)
        while text.first == " " { text.removeFirst() }
        return text.count > 80 ? String(text.prefix(77)) + "..." : text
    }

    /// The first Helm action in `bytes`, if any: a `{{ … }}` that uses Helm's objects (`.Values`, `.Release`,
    /// `.Chart`, `.Capabilities`, `.Files`, `.Template`, `$`), trims whitespace (`{{-`, `-}}`), is a comment
    /// (`{{/* */}}`) or starts with a template keyword or Helm function (`if`, `range`, `include`, `toYaml`…).
    /// Other braces (`{{workflow.uid}}`, `{{ .Name }}` of a Go template held as data) are not Helm actions.
    static func helmAction(in bytes: some Collection<UInt8>) -> String? {
        let u = Array(bytes)
        guard u.count >= 4 else { return nil }
        var i = 0
        while i + 1 < u.count {
            defer { i += 1 }
            guard u[i] == UInt8(ascii: "{"), u[i + 1] == UInt8(ascii: "{") else { continue }
            var end = i + 2
            while end + 1 < u.count && !(u[end] == UInt8(ascii: "}") && u[end + 1] == UInt8(ascii: "}")) { end += 1 }
            guard end + 1 < u.count else { continue }
            let inner = String(decoding: u[(i + 2)..<end], as: UTF8.self)
            var body = Substring(inner)
            let trims = body.hasPrefix("-") || body.hasSuffix("-")
            if body.hasPrefix("-") { body = body.dropFirst() }
            body = body.drop { $0 == " " }
            let word = body.prefix { $0.isLetter }
            let objects = [".Values", ".Release", ".Chart", ".Capabilities", ".Files", ".Template", "$"]
            let isAction = trims || body.hasPrefix("/*") || objects.contains { inner.contains($0) }
                || helmWords.contains(String(word)) && (body.count == word.count || body.dropFirst(word.count).first == " ")
            if isAction {
                let text = String(decoding: u[i..<(end + 2)], as: UTF8.self)
                return text.count > 60 ? String(text.prefix(57)) + "..." : text
            }
        }
        return nil
    }

    static let helmWords: Set<String> = [
        "if", "else", "end", "range", "with", "include", "template", "define", "block", "toYaml", "toJson", "tpl",
        "printf", "print", "quote", "squote", "default", "required", "lookup", "fail", "indent", "nindent", "trim",
        "upper", "lower", "b64enc", "not", "and", "or", "eq", "ne", "len", "index",
    ]

    /// Turns a parse failure of a file that holds template actions into a Helm refusal naming the first action's line.
    static func explain(_ error: YAMLSourceError, bytes: [UInt8]) -> YAMLSourceError {
        guard error.code == .invalidYAML else { return error }
        // The first `{{` outside a comment line.
        var lineStart = 0
        var line = 1
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
            var k = lineStart
            while k < lineEnd && (bytes[k] == 0x20 || bytes[k] == 0x09) { k += 1 }
            if k < lineEnd && bytes[k] != UInt8(ascii: "#") {
                let slice = bytes[lineStart..<lineEnd]
                if let action = helmAction(in: slice) ?? (contains(slice, "{{") ? "{{ … }}" : nil) {
                    var column = 1
                    if let at = firstIndex(of: "{{", in: slice) {
                        column = 1 + String(decoding: bytes[lineStart..<at], as: UTF8.self).unicodeScalars.count
                    }
                    return YAMLSourceError(
                        .helmTemplate,
                        "refused: Helm template action \(action) where YAML expects a value or a line; this is a chart template, not a manifest (libyaml: \(error.reason.replacingPrefix("invalid YAML: ")) at \(error.location?.description ?? "?"))",
                        at: SourceLocation(offset: lineStart, line: line, column: column), file: error.file)
                }
            }
            lineStart = lineEnd + 1
            line += 1
        }
        return error
    }

    private static func contains(_ s: ArraySlice<UInt8>, _ needle: String) -> Bool { firstIndex(of: needle, in: s) != nil }

    private static func firstIndex(of needle: String, in s: ArraySlice<UInt8>) -> Int? {
        let n = Array(needle.utf8)
        guard s.count >= n.count else { return nil }
        var i = s.startIndex
        while i + n.count <= s.endIndex {
            if s[i..<(i + n.count)].elementsEqual(n) { return i }
            i += 1
        }
        return nil
    }
}

extension String {
    func replacingPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
