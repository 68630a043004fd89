internal import HTTPTypes
internal import HummingbirdCore
internal import NIOCore
internal import NIOHTTPTypes

/// How long and how many connections `promote serve` lets clients hold: without these, idle or slow
/// unauthenticated connections would hold descriptors until the process runs out (1,024 by default).
public struct ConnectionLimits: Sendable, Hashable {
    /// A request's head (request line and headers) must arrive within this long of the connection opening or of
    /// the previous response's end.
    public var header: Duration
    /// A request's body must arrive within this long of its head.
    public var body: Duration
    /// A connection with no bytes read for this long is closed (also mid-request).
    public var idle: Duration
    /// Connections served at once; more wait in the listen backlog instead of taking descriptors.
    public var maxConnections: Int

    public init(header: Duration = .seconds(10), body: Duration = .seconds(30), idle: Duration = .seconds(30), maxConnections: Int = 512) {
        self.header = header
        self.body = body
        self.idle = idle
        self.maxConnections = maxConnections
    }

    /// Stops accepting past ``maxConnections``.
    var connectionsDelegate: MaximumAvailableConnections { MaximumAvailableConnections(maxConnections) }

    /// The HTTP/1.1 server with these limits.
    var server: HTTPServerBuilder {
        let limits = self
        return .http1(configuration: .init(
            additionalChannelHandlers: [RequestDeadlineHandler(limits: limits)], idleTimeout: Self.amount(idle)))
    }

    static func amount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

/// Closes a connection whose request head or body does not arrive in time (a slow-loris client trickling bytes
/// never lets the idle timeout fire). One per connection, after HTTP decoding.
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let limits: ConnectionLimits
    private var deadline: Scheduled<Void>?

    init(limits: ConnectionLimits) { self.limits = limits }

    func handlerAdded(context: ChannelHandlerContext) {
        arm(context, after: limits.header)
    }

    func handlerRemoved(context: ChannelHandlerContext) { disarm() }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: arm(context, after: limits.body)
        case .end: disarm()  // the handler runs as long as it needs; the next head is timed from the response
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { arm(context, after: limits.header) }
        context.write(data, promise: promise)
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }

    private func arm(_ context: ChannelHandlerContext, after duration: Duration) {
        deadline?.cancel()
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: ConnectionLimits.amount(duration)) {
            channel.close(promise: nil)
        }
    }
}
