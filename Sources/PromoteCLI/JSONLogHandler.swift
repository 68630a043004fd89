public import Logging
internal import Foundation
internal import JSON
#if canImport(Glibc)
internal import Glibc
#endif

/// A swift-log handler that writes one JSON object a line to stderr: `timestamp` (RFC 3339, UTC, milliseconds),
/// `level`, `label`, `message`, `metadata` (the logger's, the provider's, then the call's; later ones win), and
/// `source`/`file`/`line` at debug and trace. Each line is written with one `write(2)`, so lines from several
/// threads never interleave.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let write: @Sendable ([UInt8]) -> Void

    /// A handler writing to stderr.
    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil) {
        self.init(label: label, metadataProvider: metadataProvider, write: JSONLogHandler.writeStandardError)
    }

    /// A handler handing each line (newline included) to `write`.
    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil, write: @escaping @Sendable ([UInt8]) -> Void) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var object: [String: JSONValue] = [
            "timestamp": .string(Self.timestamp(Date())), "level": .string(event.level.rawValue), "label": .string(label),
            "message": .string(event.message.description), "metadata": .object(merged.mapValues(Self.json)),
        ]
        if event.level <= .debug {
            object["source"] = .string(event.source)
            object["file"] = .string(event.file)
            object["line"] = .number(Double(event.line))
        }
        write(Array(JSONWriter.write(.object(object))) + [0x0A])
    }

    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let s): .string(s)
        case .stringConvertible(let c): .string(c.description)
        case .array(let a): .array(a.map(json))
        case .dictionary(let d): .object(d.mapValues(json))
        }
    }

    static func timestamp(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }

    @Sendable static func writeStandardError(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(2, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
    }
}
