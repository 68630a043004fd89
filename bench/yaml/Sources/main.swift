// bench-yaml: the spec editor against libyaml's bare event parse of the same bytes.
//
//   bench-yaml [--repeat N] FILE PATH VALUE [FILE PATH VALUE ...]
//
// For each file, in one process and one run: libyaml's bare event parse (events read and freed, nothing kept),
// the editor's parse (node tree with byte spans), and the whole edit of PATH in the file's last document
// (parse, refusal checks, path lookup, splice, re-parse verification). Each figure is the best of N runs after
// one warm-up (the machine is shared; the minimum is the least disturbed run), with the median beside it.
// A file the editor refuses (nesting deeper than the limit) reports the time to the refusal instead.
// Prints one JSON object per file.
import Foundation
import YAMLEdit

var args = Array(CommandLine.arguments.dropFirst())
var repeats = 7
if args.first == "--repeat", args.count > 1, let n = Int(args[1]) {
    repeats = n
    args.removeFirst(2)
}
guard args.count >= 3, args.count % 3 == 0 else {
    FileHandle.standardError.write(Data("usage: bench-yaml [--repeat N] FILE PATH VALUE ...\n".utf8))
    exit(64)
}

/// (best, median) in milliseconds.
func measure(_ runs: Int, _ body: () throws -> Void) rethrows -> (Double, Double) {
    try body()  // warm-up
    var times: [Double] = []
    let clock = ContinuousClock()
    for _ in 0..<runs {
        let d = try clock.measure(body)
        times.append(Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) / 1e15)
    }
    times.sort()
    return (times[0], times[times.count / 2])
}

for i in stride(from: 0, to: args.count, by: 3) {
    let file = args[i]
    let path = try YAMLPath(parsing: args[i + 1])
    let value = args[i + 2]
    guard let data = FileManager.default.contents(atPath: file) else {
        FileHandle.standardError.write(Data("cannot read \(file)\n".utf8))
        exit(1)
    }
    let bytes = [UInt8](data)
    if let refusal = (try? YAMLStream(bytes: bytes)) == nil ? "refused" : nil {
        var reason = ""
        let (refuse, refuseMedian) = measure(repeats) {
            do { _ = try YAMLStream.edit(bytes: bytes, file: file, [ScalarEdit(path: path, value: value)]) } catch { reason = (error as? YAMLSourceError)?.reason ?? "\(error)" }
        }
        print(
            """
            {"file": "\(file)", "bytes": \(bytes.count), "\(refusal)_ms": \(String(format: "%.3f", refuse)), \
            "median_\(refusal)_ms": \(String(format: "%.3f", refuseMedian)), "reason": "\(reason.prefix(60))"}
            """)
        continue
    }
    var events = 0
    let (bare, bareMedian) = try measure(repeats) { events = try YAMLStream.countEvents(in: bytes) }
    var documents = 0
    let (parse, parseMedian) = try measure(repeats) { documents = try YAMLStream(bytes: bytes).documentCount }
    var edited: [UInt8] = []
    let (edit, editMedian) = try measure(repeats) {
        // What `promote spec set FILE PATH VALUE --document LAST` does between reading and writing the file.
        edited = try YAMLStream.edit(bytes: bytes, file: file, [ScalarEdit(path: path, value: value, document: documents - 1)])
    }
    let changed = zip(bytes, edited).prefix { $0 == $1 }.count
    print(
        """
        {"file": "\(file)", "bytes": \(bytes.count), "documents": \(documents), "events": \(events), \
        "bare_parse_ms": \(String(format: "%.3f", bare)), "editor_parse_ms": \(String(format: "%.3f", parse)), \
        "edit_ms": \(String(format: "%.3f", edit)), "edit_vs_bare": \(String(format: "%.2f", edit / bare)), \
        "median_bare_parse_ms": \(String(format: "%.3f", bareMedian)), "median_editor_parse_ms": \(String(format: "%.3f", parseMedian)), \
        "median_edit_ms": \(String(format: "%.3f", editMedian)), \
        "first_changed_byte": \(changed)}
        """)
}
