import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Sends one webhook over its own HTTP/1.1 connection to an address checked by
/// `WebhookAddressCheck`: the connection goes to that address, never to a second
/// lookup's answer, so a name cannot pass the check and then resolve elsewhere (DNS
/// rebinding). Redirects are not followed: a 3xx is an answer like any other.
public struct WebhookSender: Sendable {
    public let check: WebhookAddressCheck
    /// For the whole exchange: connect, TLS, request, answer.
    public let timeout: Duration
    let tlsContext: NIOSSLContext
    static let userAgent = "ILC-Webhooks/1"
    static let excerptLimit = 1_024

    /// `additionalTrustRoots` are trusted beside the system's (a test's own CA, an
    /// on-premises partner's).
    public init(
        policy: NetworkAddressPolicy, timeout: Duration = .seconds(15),
        additionalTrustRoots: [NIOSSLCertificate] = []
    ) throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        if !additionalTrustRoots.isEmpty {
            tls.additionalTrustRoots = [.certificates(additionalTrustRoots)]
        }
        self.tlsContext = try NIOSSLContext(configuration: tls)
        self.check = WebhookAddressCheck(policy: policy)
        self.timeout = timeout
    }

    public func send(_ message: WebhookMessage, to url: WebhookURL) async throws -> WebhookAnswer {
        let addresses = try await check.addresses(for: url)
        let deadline = NIODeadline.now() + TimeAmount.nanoseconds(Int64(timeout.timeInterval * 1e9))
        var lastError: any Error = WebhookSendError.unresolvable(host: url.host)
        for address in addresses {
            let connection: Connection
            do {
                connection = try await connect(to: address, url: url, deadline: deadline)
            } catch {
                lastError = WebhookSendError.connectFailed("\(address.ipAddress ?? url.host): \(error)")
                continue
            }
            defer { connection.deadline.cancel() }
            do {
                return try await exchange(message, url: url, over: connection.channel)
            } catch where NIODeadline.now() >= deadline {
                // The deadline closed the channel; whatever broke first, the cause is the time.
                throw WebhookSendError.timedOut(seconds: Int(timeout.components.seconds))
            }
        }
        throw lastError
    }

    private struct Connection: Sendable {
        let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        let deadline: Scheduled<Void>
    }

    private func connect(to address: SocketAddress, url: WebhookURL, deadline: NIODeadline) async throws -> Connection {
        let context = tlsContext
        let timeoutSeconds = Int(timeout.components.seconds)
        return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(to: address) { channel in
                channel.eventLoop.makeCompletedFuture {
                    // The whole exchange has one deadline: closing the channel ends the
                    // read below, which then reports the timeout.
                    let expiry = channel.eventLoop.scheduleTask(deadline: deadline) {
                        channel.pipeline.fireErrorCaught(WebhookSendError.timedOut(seconds: timeoutSeconds))
                        channel.close(promise: nil)
                    }
                    if url.usesTLS {
                        // SNI and hostname verification need a name; an IP literal has none.
                        let isLiteral = (try? SocketAddress(ipAddress: url.host, port: 0)) != nil
                        let handler = try NIOSSLClientHandler(context: context, serverHostname: isLiteral ? nil : url.host)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    let wrapped = try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel)
                    return Connection(channel: wrapped, deadline: expiry)
                }
            }
    }

    private func exchange(
        _ message: WebhookMessage, url: WebhookURL, over channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
    ) async throws -> WebhookAnswer {
        try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: url.target)
            head.headers.add(name: "Host", value: url.hostHeader)
            head.headers.add(name: "User-Agent", value: Self.userAgent)
            head.headers.add(name: "Content-Length", value: String(message.body.count))
            head.headers.add(name: "Connection", value: "close")
            for (name, value) in message.headers { head.headers.add(name: name, value: value) }
            // One write for the whole request: a receiver may answer and close as soon as
            // the body is in, and a later separate write would then fail although the
            // answer is already on its way. A failed write still reads what came back.
            var writeError: (any Error)?
            do {
                try await outbound.write(contentsOf: [
                    .head(head), .body(.byteBuffer(ByteBuffer(bytes: message.body))), .end(nil),
                ])
            } catch {
                writeError = error
            }

            var status: Int?
            var retryAfter: Int?
            var excerpt = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let responseHead):
                    status = Int(responseHead.status.code)
                    retryAfter = responseHead.headers.first(name: "Retry-After").flatMap { Int($0) }
                case .body(var chunk):
                    let room = Self.excerptLimit - excerpt.readableBytes
                    if room > 0, let slice = chunk.readSlice(length: min(room, chunk.readableBytes)) {
                        excerpt.writeImmutableBuffer(slice)
                    }
                case .end:
                    guard let status else { throw writeError ?? WebhookSendError.incompleteAnswer }
                    return WebhookAnswer(
                        status: status, excerpt: String(decoding: excerpt.readableBytesView, as: UTF8.self),
                        retryAfterSeconds: retryAfter)
                }
            }
            throw writeError ?? WebhookSendError.incompleteAnswer
        }
    }
}
