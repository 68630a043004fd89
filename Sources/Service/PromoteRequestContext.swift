public import Hummingbird
public import NIOCore

/// The request context of `promote serve`: Hummingbird's core context, the peer's address (to trust an
/// authenticating proxy's user header only from configured addresses), and who ``AccessMiddleware`` found asking.
public struct PromoteRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// Set by ``AccessMiddleware`` for routes that need a scope; nil on open routes.
    public var principal: Principal?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
