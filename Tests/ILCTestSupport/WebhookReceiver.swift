import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// A webhook receiver on loopback for tests: records every request and answers each
/// with the status `answer` picks for the request's position (0, 1, …).
public final class WebhookReceiver: Sendable {
    public struct Request: Sendable {
        public let uri: String
        /// Lowercased names.
        public let headers: [String: String]
        public let body: Data
    }

    public struct Answer: Sendable {
        public var status: Int
        public var headers: [String: String]
        /// Seconds to wait before answering (a slow receiver).
        public var delaySeconds: Double

        public init(status: Int, headers: [String: String] = [:], delaySeconds: Double = 0) {
            self.status = status
            self.headers = headers
            self.delaySeconds = delaySeconds
        }
    }

    public let port: Int
    private let channel: any Channel
    private let recorded: Mutex<[Request]>

    private init(port: Int, channel: any Channel) {
        self.port = port
        self.channel = channel
        self.recorded = Mutex([])
    }

    public var requests: [Request] {
        recorded.withLock { $0 }
    }

    /// Listens on 127.0.0.1 (a free port), with TLS when `tls` is given.
    public static func start(
        tls: NIOSSLContext? = nil, answer: @escaping @Sendable (Int) -> Answer = { _ in Answer(status: 204) }
    ) async throws -> WebhookReceiver {
        let box = RequestBox()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    if let tls {
                        try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    try child.pipeline.syncOperations.configureHTTPServerPipeline()
                    try child.pipeline.syncOperations.addHandler(ReceiverHandler(box: box, answer: answer))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let receiver = WebhookReceiver(port: channel.localAddress?.port ?? 0, channel: channel)
        box.receiver.withLock { $0 = receiver }
        return receiver
    }

    /// Waits until at least `count` requests came, or `timeout` passed.
    public func waitForRequests(_ count: Int, timeout: Duration = .seconds(30)) async throws -> [Request] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let seen = requests
            if seen.count >= count { return seen }
            try await Task.sleep(for: .milliseconds(50))
        }
        return requests
    }

    public func close() async {
        try? await channel.close()
    }

    fileprivate func record(_ request: Request) -> Int {
        recorded.withLock { requests in
            requests.append(request)
            return requests.count - 1
        }
    }
}

/// Lets connection handlers reach the receiver made after the bootstrap.
private final class RequestBox: Sendable {
    let receiver = Mutex<WebhookReceiver?>(nil)
}

private final class ReceiverHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let box: RequestBox
    private let answer: @Sendable (Int) -> WebhookReceiver.Answer
    private var head: HTTPRequestHead?
    private var body = Data()

    init(box: RequestBox, answer: @escaping @Sendable (Int) -> WebhookReceiver.Answer) {
        self.box = box
        self.answer = answer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body = Data()
        case .body(let chunk):
            body.append(contentsOf: chunk.readableBytesView)
        case .end:
            guard let head, let receiver = box.receiver.withLock({ $0 }) else { return }
            var headers: [String: String] = [:]
            for (name, value) in head.headers { headers[name.lowercased()] = value }
            let position = receiver.record(WebhookReceiver.Request(uri: head.uri, headers: headers, body: body))
            let reply = answer(position)
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: .nanoseconds(Int64(reply.delaySeconds * 1e9))) {
                let context = loopBound.value
                var responseHead = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: reply.status))
                responseHead.headers.add(name: "Content-Length", value: "2")
                responseHead.headers.add(name: "Connection", value: "close")
                for (name, value) in reply.headers { responseHead.headers.add(name: name, value: value) }
                context.write(self.wrapOutboundOut(.head(responseHead)), promise: nil)
                context.write(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "ok")))), promise: nil)
                context.writeAndFlush(self.wrapOutboundOut(.end(nil))).whenComplete { _ in loopBound.value.close(promise: nil) }
            }
        }
    }
}
