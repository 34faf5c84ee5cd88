import NIOCore
import NIOHTTP1
import NIOPosix

/// One keep-alive HTTP/1.1 connection that sends a request and reads its whole answer,
/// one at a time: the load generator of `ilc bench api` (a connection per simulated
/// client, as wrk does).
struct BenchHTTPConnection {
    struct Answer {
        let status: Int
        let body: ByteBuffer
    }

    private let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>

    static func connect(host: String, port: Int) async throws -> BenchHTTPConnection {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return BenchHTTPConnection(channel: channel)
    }

    /// Runs `body` with a function that sends one request and returns its answer.
    func run<Result>(
        _ body: (_ send: (HTTPMethod, String, HTTPHeaders, ByteBuffer?) async throws -> Answer) async throws -> Result
    ) async throws -> Result {
        try await channel.executeThenClose { inbound, outbound in
            var responses = inbound.makeAsyncIterator()
            return try await body { method, uri, headers, requestBody in
                var head = HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: headers)
                head.headers.replaceOrAdd(name: "Content-Length", value: String(requestBody?.readableBytes ?? 0))
                try await outbound.write(.head(head))
                if let requestBody { try await outbound.write(.body(.byteBuffer(requestBody))) }
                try await outbound.write(.end(nil))
                var status = 0
                var collected = ByteBuffer()
                while let part = try await responses.next() {
                    switch part {
                    case .head(let responseHead): status = Int(responseHead.status.code)
                    case .body(var chunk): collected.writeBuffer(&chunk)
                    case .end: return Answer(status: status, body: collected)
                    }
                }
                throw BenchSetupError("the API closed the connection")
            }
        }
    }
}
