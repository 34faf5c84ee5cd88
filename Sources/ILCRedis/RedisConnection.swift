import Logging
import NIOCore
import NIOPosix

/// One TCP connection to Redis. Commands from many tasks can share it: they are
/// written in order and their replies matched in order (pipelining). A blocking
/// command (BZPOPMIN, BLMOVE) holds up everything behind it, so blocking calls get a
/// connection of their own (`RedisClient.withDedicatedConnection`).
public final class RedisConnection: RedisCommandSending {
    let channel: any Channel
    let commandTimeout: Duration

    private init(channel: any Channel, commandTimeout: Duration) {
        self.channel = channel
        self.commandTimeout = commandTimeout
    }

    /// Connects, authenticates and selects the database of `configuration`.
    public static func connect(
        to configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> RedisConnection {
        let bootstrap = ClientBootstrap(group: eventLoopGroup)
            .channelOption(ChannelOptions.socketOption(.so_keepalive), value: 1)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(configuration.connectTimeout.timeAmount)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let decoder = try RedisReplyDecoder()
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(decoder))
                    try channel.pipeline.syncOperations.addHandler(RedisCommandHandler())
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: configuration.host, port: configuration.port).get()
        } catch {
            throw RedisError.connectionFailed("\(configuration.host):\(configuration.port): \(error)")
        }
        let connection = RedisConnection(channel: channel, commandTimeout: configuration.commandTimeout)
        do {
            if let password = configuration.password {
                if let username = configuration.username {
                    _ = try await connection.send(RedisCommand("AUTH", .string(username), .string(password)))
                } else {
                    _ = try await connection.send(RedisCommand("AUTH", .string(password)))
                }
            }
            if configuration.database != 0 {
                _ = try await connection.send(RedisCommand("SELECT", .integer(Int64(configuration.database))))
            }
        } catch {
            await connection.close()
            throw error
        }
        return connection
    }

    public var isActive: Bool { channel.isActive }

    public func send(_ command: RedisCommand) async throws -> RedisValue {
        try await send(command, timeout: commandTimeout)
    }

    /// Sends one command with its own deadline: a blocking command needs its block
    /// time plus a margin.
    public func send(_ command: RedisCommand, timeout: Duration?) async throws -> RedisValue {
        var buffer = channel.allocator.buffer(capacity: 64)
        command.encode(into: &buffer)
        let replies = try await submit(buffer, count: 1, timeout: timeout)
        guard let reply = replies.first else {
            throw RedisError.protocolViolation("no reply for \(command.name)")
        }
        if case .error(let error) = reply {
            throw error
        }
        return reply
    }

    /// Writes all commands at once and waits for all replies: one round trip. An
    /// error reply fails only its own command.
    public func pipeline(_ commands: [RedisCommand], timeout: Duration? = nil) async throws -> [Result<RedisValue, RedisServerError>] {
        guard !commands.isEmpty else { return [] }
        var buffer = channel.allocator.buffer(capacity: commands.count * 48)
        for command in commands {
            command.encode(into: &buffer)
        }
        let replies = try await submit(buffer, count: commands.count, timeout: timeout ?? commandTimeout)
        return replies.map { reply in
            if case .error(let error) = reply { return .failure(error) }
            return .success(reply)
        }
    }

    public func close() async {
        try? await channel.close()
    }

    private func submit(_ payload: ByteBuffer, count: Int, timeout: Duration?) async throws -> [RedisValue] {
        let promise = channel.eventLoop.makePromise(of: [RedisValue].self)
        let request = RedisRequest(payload: payload, expectedReplies: count, promise: promise, timeout: timeout?.timeAmount)
        channel.writeAndFlush(request).whenFailure { _ in
            // Once a channel has closed its handlers are gone and nobody else would
            // complete the promise. Completing an already completed promise is a no-op.
            promise.fail(RedisError.connectionClosed)
        }
        return try await promise.futureResult.get()
    }
}

extension Duration {
    var timeAmount: TimeAmount {
        let (seconds, attoseconds) = components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
