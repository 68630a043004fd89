import ArgumentParser
import Foundation
import Logging
@testable import PromoteCLI
import Promotion
import Synchronization
import Testing

/// `--log-format` / `PROMOTE_LOG_FORMAT` and the JSON log handler (the service's lines are checked end to end by
/// Tests/python/test_serve_observability.py).
struct LoggingTests {
    @Test func formatComesFromTheOptionThenTheEnvironment() {
        #expect(LogFormat.requested(arguments: ["serve", "--log-format", "json"], environment: [:]) == .json)
        #expect(LogFormat.requested(arguments: ["status", "--log-format=json"], environment: ["PROMOTE_LOG_FORMAT": "text"]) == .json)
        #expect(LogFormat.requested(arguments: ["status"], environment: ["PROMOTE_LOG_FORMAT": "json"]) == .json)
        #expect(LogFormat.requested(arguments: ["spec", "set", "f", "p", "--", "--log-format", "json"], environment: [:]) == .text)
        #expect(LogFormat.requested(arguments: ["status", "--log-format", "yaml"], environment: [:]) == .text)
    }

    @Test func theOptionIsParsedAndValidatedByEveryCommand() throws {
        #expect(throws: (any Error).self) { try PromoteCommand.parseAsRoot(["status", "--log-format", "yaml"]) }
        _ = try PromoteCommand.parseAsRoot(["status", "--log-format", "json"])
        _ = try PromoteCommand.parseAsRoot(["spec", "models", "f.yaml", "--log-format", "json"])
        _ = try PromoteCommand.parseAsRoot(["--log-format", "json", "serve"])
    }

    @Test func eachLineIsOneJSONObjectWithTheMetadataOfLoggerProviderAndCall() throws {
        let lines = Mutex<[[UInt8]]>([])
        var handler = JSONLogHandler(label: "promote.test", metadataProvider: LogSetup.promotionMetadata) { bytes in
            lines.withLock { $0.append(bytes) }
        }
        handler.logLevel = .info
        handler[metadataKey: "component"] = "worker"
        var logger = Logger(label: "promote.test", factory: { _ in handler })
        logger.logLevel = .info
        LogContext.$promotionID.withValue("p-1") {
            logger.info("merge recorded", metadata: ["model": "jukebox", "tags": ["a", "b"]])
        }
        logger.debug("not written")
        let written = lines.withLock { $0 }
        #expect(written.count == 1)
        let line = try #require(written.first)
        #expect(line.last == 0x0A && !line.dropLast().contains(0x0A))
        let object = try #require(JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
        #expect(object["level"] as? String == "info" && object["label"] as? String == "promote.test")
        #expect(object["message"] as? String == "merge recorded")
        #expect((object["timestamp"] as? String)?.hasSuffix("Z") == true)
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["component"] as? String == "worker" && metadata["promotion"] as? String == "p-1")
        #expect(metadata["model"] as? String == "jukebox" && metadata["tags"] as? [String] == ["a", "b"])
    }
}
