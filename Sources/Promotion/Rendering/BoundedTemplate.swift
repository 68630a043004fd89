internal import Foundation
internal import Synchronization
internal import Mustache

/// A Mustache template from a GitOps repository, rendered with bounded cost. The repository is outside input:
/// a template nested thousands deep would exhaust the stack of the Mustache parser and renderer, and a few nested
/// list sections (`{{#metrics}}{{#metrics}}…`) would multiply its output without end. So the text is scanned
/// (without recursion) before it is parsed, nesting and size are limited, every list iteration and substituted
/// value is charged to a budget while rendering, and the output size is checked. Every refusal names the file
/// and the line.
public struct BoundedTemplate: Sendable {
    /// The limits a template and its rendering must keep.
    public struct Limits: Sendable, Hashable {
        /// The largest template source, in bytes.
        public var templateBytes: Int
        /// How deeply sections (`{{#…}}`, `{{^…}}`, `{{$…}}`, `{{<…}}`) may nest.
        public var depth: Int
        /// How many list items all sections together may render.
        public var iterations: Int
        /// The largest rendered output, in bytes (substituted values included).
        public var outputBytes: Int

        public init(templateBytes: Int, depth: Int, iterations: Int, outputBytes: Int) {
            self.templateBytes = templateBytes
            self.depth = depth
            self.iterations = iterations
            self.outputBytes = outputBytes
        }

        /// Ample for any commit message or pull request (GitHub caps a PR body at 65,536 characters).
        public static let standard = Limits(templateBytes: 64 << 10, depth: 16, iterations: 2_000, outputBytes: 256 << 10)
    }

    /// The name shown in errors, e.g. `templates/pr-body.mustache` (nil for a built-in template).
    public let file: String?
    let template: MustacheTemplate
    let limits: Limits

    /// Checks `source` against `limits` and parses it.
    public init(_ source: String, file: String?, limits: Limits = .standard) throws(TemplateError) {
        self.file = file
        self.limits = limits
        guard source.utf8.count <= limits.templateBytes else {
            throw TemplateError(file: file, line: 1, message: "is \(source.utf8.count) bytes; templates may be at most \(limits.templateBytes)")
        }
        try Self.checkNesting(source, file: file, limit: limits.depth)
        do { template = try MustacheTemplate(string: source) } catch {
            throw TemplateError(file: file, line: Self.line(of: error, in: source), message: String(describing: error))
        }
    }

    /// Renders with `values` (strings, booleans, nested `[String: Any]` and lists of them), within the limits.
    public func render(_ values: [String: Any]) throws(TemplateError) -> String {
        let budget = RenderBudget(limits: limits)
        let output = template.render(budget.wrap(values))
        if let exceeded = budget.exceeded {
            throw TemplateError(file: file, line: 0, message: exceeded)
        }
        guard output.utf8.count <= limits.outputBytes else {
            throw TemplateError(
                file: file, line: 0, message: "renders \(output.utf8.count) bytes; the output may be at most \(limits.outputBytes)")
        }
        return output
    }

    /// Refuses sections nested deeper than `limit`, and sections left open or closed twice, scanning the tags
    /// (set-delimiter tags included) without recursion.
    static func checkNesting(_ source: String, file: String?, limit: Int) throws(TemplateError) {
        let bytes = Array(source.utf8)
        var open: [UInt8] = Array("{{".utf8), close: [UInt8] = Array("}}".utf8)
        var depth = 0, line = 1, i = 0
        func starts(_ marker: [UInt8], at index: Int) -> Bool {
            index + marker.count <= bytes.count && bytes[index..<index + marker.count].elementsEqual(marker)
        }
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\n") { line += 1 }
            guard starts(open, at: i) else {
                i += 1
                continue
            }
            var start = i + open.count
            // A triple mustache `{{{name}}}` closes with `}}}`.
            let triple = open == Array("{{".utf8) && start < bytes.count && bytes[start] == UInt8(ascii: "{")
            let closing = triple ? Array("}}}".utf8) : close
            var end = start
            while end < bytes.count, !starts(closing, at: end) { end += 1 }
            guard end < bytes.count else { return }  // an unclosed tag: the parser reports it with its line
            while start < end, bytes[start] == UInt8(ascii: " ") { start += 1 }
            let sigil = start < end ? bytes[start] : 0
            switch sigil {
            case UInt8(ascii: "#"), UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: "<"):
                depth += 1
                if depth > limit {
                    throw TemplateError(file: file, line: line, message: "sections nest deeper than \(limit) levels")
                }
            case UInt8(ascii: "/"):
                depth = max(0, depth - 1)
            case UInt8(ascii: "=") where end > start + 1 && bytes[end - 1] == UInt8(ascii: "="):
                // `{{=<% %>=}}`: new delimiters, separated by white space.
                let inner = bytes[(start + 1)..<(end - 1)].split(separator: UInt8(ascii: " "))
                if inner.count == 2 {
                    open = Array(inner[0])
                    close = Array(inner[1])
                }
            default:
                break
            }
            line += bytes[i..<end].count(where: { $0 == UInt8(ascii: "\n") })
            i = end + closing.count
        }
    }

    /// The line a parser error points at, when it says.
    static func line(of error: any Error, in source: String) -> Int {
        guard let parse = error as? MustacheTemplate.ParserError else { return 0 }
        return parse.context.lineNumber
    }
}

/// What rendering may still spend; the wrapped values charge it as the renderer reads them.
final class RenderBudget: Sendable {
    private struct State {
        var iterations: Int
        var bytes: Int
        var exceeded: String?
    }

    private let state: Mutex<State>
    let limits: BoundedTemplate.Limits

    init(limits: BoundedTemplate.Limits) {
        self.limits = limits
        state = Mutex(State(iterations: limits.iterations, bytes: limits.outputBytes))
    }

    /// Why rendering stopped early, if it did.
    var exceeded: String? { state.withLock { $0.exceeded } }

    /// Spends one list item; false once the budget is gone (the list then ends early and rendering fails).
    func iterate() -> Bool {
        state.withLock { s in
            guard s.exceeded == nil else { return false }
            s.iterations -= 1
            if s.iterations < 0 { s.exceeded = "renders more than \(limits.iterations) list items (nested list sections?)" }
            return s.exceeded == nil
        }
    }

    /// Spends the bytes of one substituted value; false once the budget is gone.
    func substitute(_ count: Int) -> Bool {
        state.withLock { s in
            guard s.exceeded == nil else { return false }
            s.bytes -= count
            if s.bytes < 0 { s.exceeded = "substitutes more than \(limits.outputBytes) bytes of values" }
            return s.exceeded == nil
        }
    }

    /// `value` with its strings and lists replaced by ones that charge this budget.
    func wrap(_ value: Any) -> Any {
        switch value {
        case let text as String: return ChargedText(text: text, budget: self)
        case let object as [String: Any]: return object.mapValues(wrap)
        case let list as [Any]: return ChargedList(items: list.map(wrap), budget: self)
        default: return value
        }
    }
}

/// A string value that charges its length each time it is substituted.
/// It has no children, so that the renderer never reflects into it.
struct ChargedText: MustacheCustomRenderable, MustacheParent, CustomStringConvertible {
    let text: String
    let budget: RenderBudget

    var renderText: String { budget.substitute(text.utf8.count) ? text : "" }
    var isNull: Bool { false }
    var description: String { renderText }
    func child(named: String) -> Any? { nil }
}

/// A list value that charges each item it renders and ends once the budget is gone. It has no children either.
struct ChargedList: MustacheSequence, MustacheParent {
    let items: [Any]
    let budget: RenderBudget

    func child(named: String) -> Any? { nil }

    struct Iterator: IteratorProtocol {
        var base: IndexingIterator<[Any]>
        let budget: RenderBudget

        mutating func next() -> Any? {
            guard let item = base.next(), budget.iterate() else { return nil }
            return item
        }
    }

    func makeIterator() -> Iterator { Iterator(base: items.makeIterator(), budget: budget) }
}
