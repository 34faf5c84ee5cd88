import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The Redis client processes use: a few shared, pipelined connections for ordinary
/// commands, dedicated connections for blocking ones, and reconnection with backoff
/// when the server goes away and comes back.
public final class RedisClient: RedisCommandSending {
    public let configuration: RedisConfiguration
    let eventLoopGroup: any EventLoopGroup
    let logger: Logger
    private let slots: [ConnectionSlot]
    private let nextSlot = Atomic<Int>(0)
    private let idleDedicated = Mutex<[RedisConnection]>([])
    private let isClosed = Atomic<Bool>(false)

    public init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "ilc.redis")
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.slots = (0..<max(1, configuration.poolSize)).map { _ in ConnectionSlot() }
    }

    public func send(_ command: RedisCommand) async throws -> RedisValue {
        try await sharedConnection().send(command)
    }

    /// One round trip for many commands. They all go over one connection, in order.
    public func pipeline(_ commands: [RedisCommand], timeout: Duration? = nil) async throws -> [Result<RedisValue, RedisServerError>] {
        try await sharedConnection().pipeline(commands, timeout: timeout)
    }

    /// Lends a connection nobody else writes to, for blocking commands. It goes back
    /// to a small idle list afterwards if it is still healthy.
    public func withDedicatedConnection<Result: Sendable>(
        _ body: (RedisConnection) async throws -> Result
    ) async throws -> Result {
        let reused = idleDedicated.withLock { idle in idle.popLast() }
        let connection: RedisConnection
        if let reused, reused.isActive {
            connection = reused
        } else {
            if let reused { await reused.close() }
            connection = try await connectWithBackoff()
        }
        do {
            let result = try await body(connection)
            await giveBack(connection)
            return result
        } catch {
            // After a failure the connection may hold an unread reply: never reuse it.
            await connection.close()
            throw error
        }
    }

    /// Closes every connection. Commands after this fail with `connectionClosed`.
    public func close() async {
        isClosed.store(true, ordering: .sequentiallyConsistent)
        for slot in slots {
            await slot.close()
        }
        for connection in idleDedicated.withLock({ idle in defer { idle.removeAll() }; return idle }) {
            await connection.close()
        }
    }

    private func giveBack(_ connection: RedisConnection) async {
        guard connection.isActive, !isClosed.load(ordering: .sequentiallyConsistent) else {
            await connection.close()
            return
        }
        let kept = idleDedicated.withLock { idle in
            guard idle.count < 16 else { return false }
            idle.append(connection)
            return true
        }
        if !kept { await connection.close() }
    }

    private func sharedConnection() async throws -> RedisConnection {
        guard !isClosed.load(ordering: .sequentiallyConsistent) else { throw RedisError.connectionClosed }
        let index = nextSlot.wrappingAdd(1, ordering: .relaxed).oldValue
        let slot = slots[Int(UInt(bitPattern: index) % UInt(slots.count))]
        return try await slot.connection { try await self.connectWithBackoff() }
    }

    /// Retries with exponential backoff and jitter until `reconnectTimeout` runs out,
    /// so a restarting server is waited for instead of failing every command.
    func connectWithBackoff() async throws -> RedisConnection {
        let clock = ContinuousClock()
        let deadline = clock.now + configuration.reconnectTimeout
        var delay = Duration.milliseconds(20)
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await RedisConnection.connect(to: configuration, eventLoopGroup: eventLoopGroup)
            } catch let error as RedisServerError {
                // The server answered (wrong password, bad database): waiting will not help.
                throw error
            } catch {
                guard clock.now + delay < deadline else {
                    logger.error("giving up connecting to Redis", metadata: ["attempts": "\(attempt)", "error": "\(error)"])
                    throw error
                }
                // One warning per outage; the retries after it are detail.
                logger.log(
                    level: attempt == 1 ? .warning : .debug, "Redis connection failed, retrying",
                    metadata: ["attempt": "\(attempt)", "error": "\(error)"])
                try await Task.sleep(for: delay + .milliseconds(Int.random(in: 0...Int(delay.components.seconds * 1000 / 4 + 5))))
                delay = min(delay * 2, .seconds(1))
            }
        }
    }
}

/// One shared connection, replaced when it dies. Concurrent callers that find it
/// dead wait for a single reconnection instead of each opening their own.
private actor ConnectionSlot {
    private var connection: RedisConnection?
    private var connecting: Task<RedisConnection, any Error>?

    func connection(_ connect: @escaping @Sendable () async throws -> RedisConnection) async throws -> RedisConnection {
        if let connection, connection.isActive {
            return connection
        }
        connection = nil
        if let connecting {
            return try await connecting.value
        }
        let task = Task { try await connect() }
        connecting = task
        do {
            let fresh = try await task.value
            connection = fresh
            connecting = nil
            return fresh
        } catch {
            connecting = nil
            throw error
        }
    }

    func close() async {
        connecting?.cancel()
        await connection?.close()
        connection = nil
    }
}
