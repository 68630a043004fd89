/// A parsed YAML stream: the original bytes, and for each document a node tree whose nodes know their exact
/// byte spans. Parsing is one pass of libyaml's event parser; no value is re-emitted, so the bytes stay the
/// source of truth and edits (`setting(_:)`) are splices into them.
///
/// ```swift
/// let stream = try YAMLStream(bytes: Array(text.utf8), file: "model.yaml")
/// let uri = stream.documents[0].root["spec"]?["storageUri"]?.scalar
/// ```
public struct YAMLStream: Sendable {
    let storage: NodeStorage
    /// The file name used in messages, if the caller gave one.
    public let file: String?
    /// Whether `forEditing` made the template and key checks (so that `apply(_:)` need not repeat them).
    var checkedForEditing = false

    /// Parses `bytes` (UTF-8, optionally with a BOM).
    /// - Throws: `YAMLSourceError` `.invalidYAML` with libyaml's problem and its line and column, or
    ///   `.unsupportedEncoding` for UTF-16 input.
    public init(bytes: [UInt8], file: String? = nil) throws(YAMLSourceError) {
        do {
            storage = try EventScanner.parse(bytes)
        } catch {
            throw error.inFile(file)
        }
        self.file = file
    }

    /// Parses UTF-8 text.
    public init(text: String, file: String? = nil) throws(YAMLSourceError) {
        try self.init(bytes: Array(text.utf8), file: file)
    }

    init(storage: NodeStorage, file: String?) {
        self.storage = storage
        self.file = file
    }

    /// The original bytes.
    public var bytes: [UInt8] { storage.source }

    /// The documents in order. An empty input has none.
    public var documents: [YAMLDocument] { storage.documents.indices.map { YAMLDocument(storage, $0) } }

    /// The number of documents.
    public var documentCount: Int { storage.documents.count }

    /// Every key that appears twice in one mapping, anywhere in the stream.
    public var duplicateKeys: [DuplicateKey] { storage.duplicateKeys }

    /// Throws `.duplicateKey` for the first duplicate key, for readers (configuration files) that refuse them.
    public func requireUniqueKeys() throws(YAMLSourceError) {
        if let d = storage.duplicateKeys.first {
            throw YAMLSourceError(.duplicateKey, "\(d)", at: d.duplicate, file: file)
        }
    }

    /// libyaml's bare event parse of `bytes`: every event is read and freed and nothing else is done.
    /// Returns the number of events. This is the baseline the benchmark compares the editor with.
    public static func countEvents(in bytes: [UInt8]) throws(YAMLSourceError) -> Int {
        try EventScanner.countEvents(bytes)
    }
}
