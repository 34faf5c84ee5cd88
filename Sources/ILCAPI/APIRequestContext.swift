import Hummingbird
import NIOCore

/// The request context of `ilc-api`: Hummingbird's core storage plus the connection's
/// peer address, which the failed-authentication limit per client and tracing use.
public struct APIRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection's other end: the client, or a proxy in front of the API (nil in
    /// router tests, which have no socket).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}
