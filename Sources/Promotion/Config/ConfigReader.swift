/// Reads typed values out of a ``ConfigNode`` mapping, collecting problems instead of stopping at the first,
/// and reporting every key it was never asked for as unknown (with a "did you mean" when one is close).
struct ConfigReader {
    let file: String
    let path: String
    let node: ConfigNode
    private(set) var entries: [ConfigNode.Entry] = []
    /// The position of each key in `entries`, so that a lookup does not scan (a mapping of many models stays linear).
    private var positions: [String: Int] = [:]
    private var consumed: Set<String> = []
    private let problems: ProblemSink
    /// Where this reader's problems go (for readers of nested nodes made by hand).
    var problemSink: ProblemSink { problems }

    init(file: String, path: String, node: ConfigNode, problems: ProblemSink) {
        self.file = file
        self.path = path
        self.node = node
        self.problems = problems
        switch node.value {
        case .mapping(let entries):
            self.entries = entries
            for (i, entry) in entries.enumerated() where positions[entry.key] == nil { positions[entry.key] = i }
        default:
            if !node.isNull { problems.add(file, node.line, path, "must be a mapping of keys to values") }
        }
    }

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The raw node under `key`, marking it as known.
    mutating func node(_ key: String) -> ConfigNode? {
        consumed.insert(key)
        guard let i = positions[key], !entries[i].value.isNull else { return nil }
        let entry = entries[i]
        return entry.value
    }

    mutating func string(_ key: String, required: Bool = false, fix: String = "") -> String? {
        guard let n = node(key) else {
            if required { report(key, line: node.line, "is required" + (fix.isEmpty ? "" : "; \(fix)")) }
            return nil
        }
        guard case .scalar(let text, _) = n.value else {
            report(key, line: n.line, "must be a string")
            return nil
        }
        return text
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let n = node(key) else { return nil }
        if case .scalar(let text, true) = n.value {
            switch text {
            case "true", "True", "TRUE", "yes": return true
            case "false", "False", "FALSE", "no": return false
            default: break
            }
        }
        report(key, line: n.line, "must be true or false")
        return nil
    }

    /// A whole number in `range` (a plain scalar: `8`, not `"8"` or `8.0`).
    mutating func integer(_ key: String, in range: ClosedRange<Int>) -> Int? {
        guard let n = node(key) else { return nil }
        guard case .scalar(let text, true) = n.value, let value = Int(text), range.contains(value) else {
            report(key, line: n.line, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    mutating func stringList(_ key: String) -> [String]? {
        guard let n = node(key) else { return nil }
        if case .scalar(let text, _) = n.value { return [text] }
        guard case .sequence(let items) = n.value else {
            report(key, line: n.line, "must be a list of strings")
            return nil
        }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            guard case .scalar(let text, _) = item.value else {
                report("\(key)[\(i)]", line: item.line, "must be a string")
                continue
            }
            out.append(text)
        }
        return out
    }

    /// A value that must be one of `choices`.
    mutating func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) -> T? where T.RawValue == String {
        guard let text = string(key) else { return nil }
        guard let value = T(rawValue: text) else {
            let all = T.allCases.map(\.rawValue)
            report(key, "'\(text)' is not one of \(all.joined(separator: ", "))")
            return nil
        }
        return value
    }

    /// A nested reader for the mapping under `key`, or nil when absent.
    mutating func mapping(_ key: String) -> ConfigReader? {
        guard let n = node(key) else { return nil }
        return ConfigReader(file: file, path: keyPath(key), node: n, problems: problems)
    }

    /// Nested readers for a list of mappings under `key` (empty when absent; a non-list is reported).
    mutating func mappings(_ key: String) -> [ConfigReader] {
        guard let n = node(key) else { return [] }
        guard case .sequence(let items) = n.value else {
            report(key, line: n.line, "must be a list")
            return []
        }
        return items.enumerated().map { ConfigReader(file: file, path: "\(keyPath(key))[\($0.offset)]", node: $0.element, problems: problems) }
    }

    func report(_ key: String, line: Int? = nil, _ message: String) {
        let l = line ?? positions[key].map { entries[$0].keyLine } ?? node.line
        problems.add(file, l, keyPath(key), message)
    }

    /// Reports every key that no accessor asked for.
    func finish() {
        let known = consumed
        for entry in entries where !known.contains(entry.key) {
            var message = "unknown key"
            if let near = known.min(by: { editDistance($0, entry.key) < editDistance($1, entry.key) }),
                editDistance(near, entry.key) <= max(2, entry.key.count / 4)
            {
                message += " (did you mean '\(near)'?)"
            } else if !known.isEmpty {
                message += " (known keys here: \(known.sorted().joined(separator: ", ")))"
            }
            problems.add(file, entry.keyLine, keyPath(entry.key), message)
        }
    }
}

/// Collects problems from nested readers.
final class ProblemSink: @unchecked Sendable {
    private(set) var problems: [ConfigError.Problem] = []

    func add(_ file: String, _ line: Int, _ key: String, _ message: String) {
        problems.append(ConfigError.Problem(file: file, line: line, key: key, message: message))
    }
}

/// Levenshtein distance, for "did you mean".
func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a), y = Array(b)
    if x.isEmpty || y.isEmpty { return max(x.count, y.count) }
    var row = Array(0...y.count)
    for i in 1...x.count {
        var previous = row[0]
        row[0] = i
        for j in 1...y.count {
            let saved = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (x[i - 1] == y[j - 1] ? 0 : 1))
            previous = saved
        }
    }
    return row[y.count]
}
