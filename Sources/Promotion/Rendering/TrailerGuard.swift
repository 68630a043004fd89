/// Provenance trailers (`Promote-Model: …`) are written by Promote alone, after rendering: `git log` is the
/// evidence `promote ledger rebuild` and audits trust. Text rendered from a repository's template (or carrying
/// values from an event) that holds a line looking like one is refused, never committed.
public enum TrailerGuard {
    /// The first line of `text` that reads as a `Promote-…:` trailer (keys compare case-insensitively, as git's
    /// do; leading white space is ignored), with its 1-based number.
    public static func trailerLine(in text: String) -> (line: Int, text: String)? {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard trimmed.lowercased().hasPrefix("promote-"), let colon = trimmed.firstIndex(of: ":") else { continue }
            let key = trimmed[..<colon]
            if key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) { return (index + 1, String(line.prefix(120))) }
        }
        return nil
    }

    /// Throws when `text` holds a trailer line; `file` names what was rendered.
    public static func refuseTrailers(in text: String, file: String) throws(TemplateError) {
        guard let found = trailerLine(in: text) else { return }
        throw TemplateError(
            file: file,
            message: "renders '\(found.text)' (output line \(found.line)): Promote- trailers are written by Promote only, after rendering")
    }
}
