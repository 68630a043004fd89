internal import CurlHTTP
internal import Foundation
internal import JSON
internal import Synchronization
public import Logging
internal import Promotion

/// Posts CDEvents to the configured sinks (`service.cdevents.sinks`) as structured-mode CloudEvents.
/// Best effort: a sink that fails is retried a few times with backoff, then logged; it never holds up a promotion.
public final class CDEventSink: Sendable {
    let sinks: [String]
    /// The thread that posts (none without sinks).
    let pool: CurlWorkerPool?
    let logger: Logger
    let attempts: Int
    /// The deliveries under way, so that ``finish()`` can wait for them.
    private let sending = Mutex<[UUID: Task<Void, Never>]>([:])

    public init(sinks: [String], logger: Logger, attempts: Int = 3) {
        self.sinks = sinks
        self.logger = logger
        self.attempts = attempts
        var options = CurlOptions()
        options.totalTimeout = .seconds(10)
        pool = sinks.isEmpty ? nil : CurlWorkerPool(threads: 1, options: options)
    }

    /// Sends each event to every sink, in the background.
    public func emit(_ events: [OutgoingCDEvent]) {
        guard !sinks.isEmpty, !events.isEmpty else { return }
        let id = UUID()
        sending.withLock { sending in
            sending[id] = Task { [self] in
                for event in events {
                    for sink in sinks { await send(event, to: sink) }
                }
                self.sending.withLock { _ = $0.removeValue(forKey: id) }
            }
        }
    }

    /// Waits until every event emitted so far was delivered or given up on: for a command about to exit.
    public func finish() async {
        for task in sending.withLock({ Array($0.values) }) { await task.value }
    }

    func send(_ event: OutgoingCDEvent, to sink: String) async {
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/cloudevents+json; charset=utf-8")
        let request = HTTPRequest(method: "POST", url: sink, headers: headers, body: JSONWriter.write(event.cloudEvent))
        for attempt in 1...attempts {
            if let status = try? await pool?.perform(request).status, (200..<300).contains(status) {
                logger.info("CDEvent emitted", metadata: ["sink": "\(redactUserInfo(sink))", "type": "\(event.type)", "status": "\(status)"])
                return
            }
            if attempt < attempts { try? await Task.sleep(for: .milliseconds(200 << attempt)) }
        }
        logger.warning("a CDEvent sink did not accept an event", metadata: ["sink": "\(redactUserInfo(sink))", "type": "\(event.type)"])
    }
}
