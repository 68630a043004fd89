/// One planned replacement of a target scalar's bytes.
struct Splice {
    let node: Int
    let document: Int
    let value: String
    let range: Range<Int>
    let text: [UInt8]
    let style: ScalarStyle

    static func make(
        for target: ResolvedTarget, value: String, in storage: NodeStorage, path: YAMLPath, exposure: AliasExposure,
        file: String?
    ) throws(YAMLSourceError) -> Splice {
        let node = target.node
        let r = node.record
        func refuse(_ code: YAMLSourceError.Code, _ why: String) -> YAMLSourceError {
            YAMLSourceError(code, "refused: \"\(path)\" \(why)", at: node.span.start, file: file)
        }
        switch r.kind {
        case .alias:
            throw refuse(.aliasedTarget, "is an alias (*\(node.aliasName ?? "")): editing it would edit the anchored node and every other alias")
        case .mapping:
            throw refuse(.notAScalar, "is a mapping, not a scalar")
        case .sequence:
            throw refuse(.notAScalar, "is a sequence, not a scalar")
        case .scalar:
            break
        }
        if let e = exposure.exposure(of: node.id) {
            let repeats = e.merged ? "which the merge key at \"\(e.alias)\" (<<: *\(e.anchor)) repeats" : "which the alias at \"\(e.alias)\" repeats"
            let place = e.onNode ? "carries the anchor &\(e.anchor)" : "sits inside &\(e.anchor)"
            throw refuse(.anchoredTarget, "\(place), \(repeats): \"\(e.shownAt)\" would change with it")
        }
        if let tag = node.tag, tag != "tag:yaml.org,2002:str", tag != "!" {
            throw refuse(.taggedTarget, "carries the tag \(tag): its value is not a plain string")
        }
        let src = storage.source
        var start = Int(r.startOffset)
        let end = Int(r.endOffset)
        // Skip properties (an anchor, a `!!str` tag) to reach the scalar's own text. An anchor name ends where
        // libyaml's did (`&a:b` is the anchor `a` before the scalar `:b`); a tag runs to a space.
        while start < end && (src[start] == UInt8(ascii: "!") || src[start] == UInt8(ascii: "&")) {
            if src[start] == UInt8(ascii: "&") {
                start = min(end, start + 1 + Int(r.anchorLength))
            } else {
                while start < end && !isSpace(src[start]) && !isBreak(src[start]) { start += 1 }
            }
            while start < end && isSpace(src[start]) { start += 1 }
            if start < end && (isBreak(src[start]) || src[start] == UInt8(ascii: "#")) {
                throw refuse(.unsupportedTarget, "has its anchor or tag on a line of its own; edit it by hand")
            }
        }
        if start == end && r.style == .plain {
            // An empty value: it is inserted after the `:` or `-` indicator that precedes it.
            var k = start
            while k > 0 && isSpace(src[k - 1]) { k -= 1 }
            guard k > 0, src[k - 1] == UInt8(ascii: ":") || src[k - 1] == UInt8(ascii: "-") else {
                throw refuse(.unsupportedTarget, "is an implicit empty value (no ':' before it); add the value by hand")
            }
        }
        let isJSON = storage.isJSON
        var style = r.style
        var text: String
        var range = start..<end
        switch r.style {
        case .plain:
            if !isJSON && ScalarRenderer.canBePlain(value, inFlow: r.inFlow) {
                text = value
            } else {
                text = ScalarRenderer.doubleQuoted(value)
                style = .doubleQuoted
            }
            if start == end && start > 0 && !isSpace(src[start - 1]) && !isBreak(src[start - 1]) {
                text = " " + text
            }
        case .singleQuoted:
            if !isJSON && ScalarRenderer.canBeSingleQuoted(value) {
                text = ScalarRenderer.singleQuoted(value)
            } else {
                text = ScalarRenderer.doubleQuoted(value)
                style = .doubleQuoted
            }
        case .doubleQuoted:
            text = ScalarRenderer.doubleQuoted(value)
        case .literal, .folded:
            if let block = ScalarRenderer.block(value, folded: r.style == .folded) {
                let (rendered, region) = renderBlock(block, src: src, start: start, end: end)
                text = rendered
                range = region
                style = block.header.hasPrefix(">") ? .folded : .literal
            } else {
                let (tokenEnd, headerLineEnd) = blockHeader(src: src, start: start, end: end)
                text = ScalarRenderer.doubleQuoted(value) + String(decoding: src[tokenEnd..<headerLineEnd], as: UTF8.self)
                style = .doubleQuoted
                range = start..<max(blockContentEnd(src: src, start: start, end: end), headerLineEnd)
            }
        }
        if start > Int(r.startOffset) && start == range.lowerBound && !isSpace(src[start - 1]) && !text.hasPrefix(" ") {
            text = " " + text  // `&a:b` set to `x`: `&a x`, not `&ax`
        }
        return Splice(node: node.id, document: target.document, value: value, range: range, text: Array(text.utf8), style: style)
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
    private static func isBreak(_ c: UInt8) -> Bool { c == 0x0A || c == 0x0D }

    /// The end of the last line of a block scalar that holds anything but spaces (its trailing blank lines,
    /// which libyaml includes in the span, stay in place).
    private static func blockContentEnd(src: [UInt8], start: Int, end: Int) -> Int {
        var lineEnd = start
        while lineEnd < end && !isBreak(src[lineEnd]) { lineEnd += 1 }
        var result = lineEnd
        var i = lineEnd
        while i < end {
            while i < end && isBreak(src[i]) { i += 1 }
            let lineStart = i
            var hasContent = false
            while i < end && !isBreak(src[i]) {
                if src[i] != 0x20 { hasContent = true }
                i += 1
            }
            if hasContent && i > lineStart { result = i }
        }
        return result
    }

    /// The end of a block scalar's indicator token (`|2-`) and of its header line.
    private static func blockHeader(src: [UInt8], start: Int, end: Int) -> (Int, Int) {
        var tokenEnd = start + 1
        while tokenEnd < end, src[tokenEnd] == UInt8(ascii: "-") || src[tokenEnd] == UInt8(ascii: "+")
            || (src[tokenEnd] >= 0x30 && src[tokenEnd] <= 0x39)
        {
            tokenEnd += 1
        }
        var headerLineEnd = tokenEnd
        while headerLineEnd < src.count && !isBreak(src[headerLineEnd]) { headerLineEnd += 1 }
        return (tokenEnd, headerLineEnd)
    }

    private static func renderBlock(
        _ block: (header: String, lines: [Substring]), src: [UInt8], start: Int, end: Int
    ) -> (String, Range<Int>) {
        let (tokenEnd, headerLineEnd) = blockHeader(src: src, start: start, end: end)
        let lineBreak = headerLineEnd + 1 < src.count && src[headerLineEnd] == 0x0D && src[headerLineEnd + 1] == 0x0A ? "\r\n" : "\n"
        let contentEnd = blockContentEnd(src: src, start: start, end: end)
        // Indentation: that of the first content line, else the header line's plus two.
        var indent: Int?
        var i = headerLineEnd
        while i < contentEnd {
            while i < contentEnd && isBreak(src[i]) { i += 1 }
            var spaces = 0
            while i + spaces < contentEnd && src[i + spaces] == 0x20 { spaces += 1 }
            if i + spaces < contentEnd && !isBreak(src[i + spaces]) {
                indent = spaces
                break
            }
            i += spaces
        }
        if indent == nil {
            var lineStart = start
            while lineStart > 0 && !isBreak(src[lineStart - 1]) { lineStart -= 1 }
            var spaces = 0
            while src[lineStart + spaces] == 0x20 { spaces += 1 }
            indent = spaces + 2
        }
        let pad = String(repeating: " ", count: indent ?? 2)
        let rest = String(decoding: src[tokenEnd..<headerLineEnd], as: UTF8.self)
        let content = block.lines.map { $0.isEmpty ? "" : pad + $0 }.joined(separator: lineBreak)
        let regionEnd = max(contentEnd, headerLineEnd)
        // Blank lines after the content stay, unless one holds more spaces than the indentation (it would then
        // be content): then those lines are emptied, keeping their line breaks.
        var longest = 0
        var run = 0
        for c in src[regionEnd..<end] {
            if c == 0x20 {
                run += 1
                longest = max(longest, run)
            } else {
                run = 0
            }
        }
        if longest > (indent ?? 2) {
            let tail = String(decoding: src[regionEnd..<end].filter { $0 != 0x20 }, as: UTF8.self)
            return (block.header + rest + lineBreak + content + tail, start..<end)
        }
        return (block.header + rest + lineBreak + content, start..<regionEnd)
    }
}
