/// A unified diff (`diff -u` style) of two texts, for PR bodies and `--dry-run` output.
public enum UnifiedDiff {
    /// The diff of `old` and `new` as `path`, with `context` unchanged lines around each change; empty when equal.
    /// `old == nil` shows a new file.
    public static func make(old: String?, new: String, path: String, context: Int = 3) -> String {
        let a = old.map(lines) ?? [], b = lines(new)
        if old == new { return "" }
        let ops = editScript(a, b)
        var out = "--- \(old == nil ? "/dev/null" : "a/\(path)")\n+++ b/\(path)\n"
        // Group operations into hunks separated by more than 2*context unchanged lines.
        var i = 0
        while i < ops.count {
            guard let firstChange = ops[i...].firstIndex(where: { $0.kind != .same }) else { break }
            var end = firstChange
            var j = firstChange
            while j < ops.count {
                if ops[j].kind != .same { end = j; j += 1; continue }
                let run = ops[j...].prefix { $0.kind == .same }.count
                if j + run >= ops.count || run > 2 * context { break }
                j += run
            }
            let start = max(i, firstChange - context)
            let stop = min(ops.count, end + 1 + context)
            let slice = ops[start..<stop]
            let oldStart = slice.first?.oldIndex ?? 0, newStart = slice.first?.newIndex ?? 0
            let oldCount = slice.filter { $0.kind != .insert }.count, newCount = slice.filter { $0.kind != .delete }.count
            out += "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@\n"
            for op in slice {
                let line: String
                switch op.kind {
                case .same: line = " " + a[op.oldIndex]
                case .delete: line = "-" + a[op.oldIndex]
                case .insert: line = "+" + b[op.newIndex]
                }
                out += line.hasSuffix("\n") ? line : line + "\n\\ No newline at end of file\n"
            }
            i = stop
        }
        return out
    }

    private static func range(_ start: Int, _ count: Int) -> String {
        count == 0 ? "\(start),0" : count == 1 ? "\(start + 1)" : "\(start + 1),\(count)"
    }

    private static func lines(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        for ch in text {
            current.append(ch)
            if ch == "\n" || ch == "\r\n" {
                result.append(current)
                current = ""
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    struct Op {
        enum Kind { case same, delete, insert }
        var kind: Kind
        var oldIndex: Int
        var newIndex: Int
    }

    /// Common prefix and suffix, then an LCS over what is left (small for minimal edits; a large middle is shown as
    /// replaced rather than spending quadratic time).
    static func editScript(_ a: [String], _ b: [String]) -> [Op] {
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        var ops = (0..<prefix).map { Op(kind: .same, oldIndex: $0, newIndex: $0) }
        let am = Array(a[prefix..<(a.count - suffix)]), bm = Array(b[prefix..<(b.count - suffix)])
        if am.count * bm.count <= 4_000_000 {
            var lcs = Array(repeating: Array(repeating: 0, count: bm.count + 1), count: am.count + 1)
            for x in stride(from: am.count - 1, through: 0, by: -1) {
                for y in stride(from: bm.count - 1, through: 0, by: -1) {
                    lcs[x][y] = am[x] == bm[y] ? lcs[x + 1][y + 1] + 1 : max(lcs[x + 1][y], lcs[x][y + 1])
                }
            }
            var x = 0, y = 0
            while x < am.count || y < bm.count {
                if x < am.count, y < bm.count, am[x] == bm[y] {
                    ops.append(Op(kind: .same, oldIndex: prefix + x, newIndex: prefix + y)); x += 1; y += 1
                } else if x < am.count, y == bm.count || lcs[x + 1][y] >= lcs[x][y + 1] {
                    ops.append(Op(kind: .delete, oldIndex: prefix + x, newIndex: prefix + y)); x += 1
                } else {
                    ops.append(Op(kind: .insert, oldIndex: prefix + x, newIndex: prefix + y)); y += 1
                }
            }
        } else {
            ops += am.indices.map { Op(kind: .delete, oldIndex: prefix + $0, newIndex: prefix) }
            ops += bm.indices.map { Op(kind: .insert, oldIndex: prefix + am.count, newIndex: prefix + $0) }
        }
        ops += (0..<suffix).map { Op(kind: .same, oldIndex: a.count - suffix + $0, newIndex: b.count - suffix + $0) }
        return ops
    }
}
