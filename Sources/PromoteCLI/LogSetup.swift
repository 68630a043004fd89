public import Logging
internal import Promotion

/// Sets up swift-log for the `promote` process: stderr, in the format `--log-format`/`PROMOTE_LOG_FORMAT` asks for,
/// at the level `PROMOTE_LOG_LEVEL` names (default: `info` for `serve`, which logs what it does; `warning` for the
/// other commands, which say only what goes wrong). Every line logged while a promotion runs carries its id.
public enum LogSetup {
    public static func bootstrap(arguments: [String], environment: [String: String]) {
        let serving = arguments.first == "serve"
        let level = environment["PROMOTE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? (serving ? .info : .warning)
        let format = LogFormat.requested(arguments: arguments, environment: environment)
        LoggingSystem.bootstrap(
            { (label: String, provider: Logger.MetadataProvider?) -> any LogHandler in
                switch format {
                case .json:
                    var handler = JSONLogHandler(label: label, metadataProvider: provider)
                    handler.logLevel = level
                    return handler
                case .text:
                    var handler = StreamLogHandler.standardError(label: label, metadataProvider: provider)
                    handler.logLevel = level
                    return handler
                }
            }, metadataProvider: promotionMetadata)
    }

    /// `promotion: <id>` while a task works on a promotion (``LogContext/promotionID``), `request_id: <id>` while it
    /// handles an HTTP request (``LogContext/requestID``).
    public static let promotionMetadata = Logger.MetadataProvider {
        var metadata: Logger.Metadata = [:]
        if let id = LogContext.promotionID { metadata["promotion"] = .string(id) }
        if let id = LogContext.requestID { metadata["request_id"] = .string(id) }
        return metadata
    }
}
