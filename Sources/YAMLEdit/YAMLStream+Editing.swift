extension YAMLStream {
    /// Parses bytes that are about to be edited and refuses what must not be: invalid YAML (libyaml's problem and
    /// position), Helm templates (named as such, even when they break the parse), non-scalar keys.
    public static func forEditing(bytes: [UInt8], file: String? = nil) throws(YAMLSourceError) -> YAMLStream {
        var stream: YAMLStream
        do {
            stream = try YAMLStream(bytes: bytes, file: file)
        } catch {
            let bom = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            if error.code == .invalidYAML && JSONValidator.isJSON(bytes, from: bom) {
                throw YAMLSourceError(
                    .invalidYAML,
                    "refused: valid JSON that libyaml cannot read (\(error.reason)); a surrogate pair escape (\\uD83D\\uDE00) is the usual cause: write the character itself",
                    at: error.location, file: file)
            }
            throw TemplateDetector.explain(error, bytes: bytes)
        }
        try stream.checkEditable()
        stream.checkedForEditing = true
        return stream
    }

    /// Parses `bytes`, applies `edits` and returns the new bytes (see `setting(_:)`), refusing Helm templates and
    /// invalid YAML with a message that names the file, line and reason.
    public static func edit(bytes: [UInt8], file: String? = nil, _ edits: [ScalarEdit]) throws(YAMLSourceError) -> [UInt8] {
        try forEditing(bytes: bytes, file: file).apply(edits).bytes
    }
}
