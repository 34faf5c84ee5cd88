/// Anything that can send a command and get its reply: a pooled client or one
/// dedicated connection. Helpers (ping, functions) build on this alone.
public protocol RedisCommandSending: Sendable {
    /// Sends one command; an error reply is thrown as `RedisServerError`.
    func send(_ command: RedisCommand) async throws -> RedisValue
}

extension RedisCommandSending {
    public func ping() async throws {
        let reply = try await send(RedisCommand("PING"))
        guard reply.string == "PONG" else {
            throw RedisError.unexpectedReply("PING answered \(reply)")
        }
    }
}
