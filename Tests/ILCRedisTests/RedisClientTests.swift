import Foundation
import ILCTestSupport
import Testing

@testable import ILCRedis

@Suite struct RedisClientTests {
    @Test func binaryValuesRoundTrip() async throws {
        try await SharedRedis.withClient { client, prefix in
            let everyByte = (0...255).map(UInt8.init) + Array("\r\n$-1\r\n*3\r\n".utf8) + [0, 0]
            let large = (0..<(2 * 1024 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            for (name, value) in [("every-byte", everyByte), ("empty", []), ("large", large)] {
                let key = RedisArgument.bytes(Array((prefix + name).utf8) + [0xFF, 0x00])
                _ = try await client.send(RedisCommand("SET", key, .bytes(value)))
                let reply = try await client.send(RedisCommand("GET", key))
                #expect(reply == .bulkString(value), "\(name)")
            }
            #expect(try await client.send(RedisCommand("GET", .string(prefix + "absent"))) == .null)
        }
    }

    @Test func oneHundredThousandPipelinedCommands() async throws {
        try await SharedRedis.withClient { client, prefix in
            let key = RedisArgument.string(prefix + "counter")
            let commands = Array(repeating: RedisCommand("INCR", key), count: 100_000)
            let replies = try await client.pipeline(commands, timeout: .seconds(60))
            #expect(replies.count == 100_000)
            let values = try replies.map { try $0.get().integer }
            #expect(values.first == 1)
            #expect(values.last == 100_000)
            #expect(values == (1...100_000).map { Int64($0) })
        }
    }

    @Test func concurrentCallersShareConnectionsAndGetTheirOwnReplies() async throws {
        try await SharedRedis.withClient { client, prefix in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<500 {
                    group.addTask {
                        let key = RedisArgument.string("\(prefix)key-\(index)")
                        _ = try await client.send(RedisCommand("SET", key, .integer(Int64(index))))
                        let reply = try await client.send(RedisCommand("GET", key))
                        #expect(reply.integer == Int64(index))
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    @Test func errorRepliesAreTypedAndLeaveTheConnectionUsable() async throws {
        try await SharedRedis.withClient { client, prefix in
            let key = RedisArgument.string(prefix + "text")
            _ = try await client.send(RedisCommand("SET", key, "not a list"))
            do {
                _ = try await client.send(RedisCommand("LPUSH", key, "x"))
                Issue.record("LPUSH on a string succeeded")
            } catch let error as RedisServerError {
                #expect(error.code == "WRONGTYPE")
            }
            await #expect(throws: RedisServerError.self) { try await client.send(RedisCommand("NO-SUCH-COMMAND")) }

            let replies = try await client.pipeline([
                RedisCommand("GET", key), RedisCommand("INCR", key), RedisCommand("STRLEN", key),
            ])
            #expect(try replies[0].get().string == "not a list")
            #expect(throws: RedisServerError.self) { try replies[1].get() }
            #expect(try replies[2].get().integer == 10)
            try await client.ping()
        }
    }

    @Test func nestedRepliesDecode() async throws {
        try await SharedRedis.withClient { client, prefix in
            let key = RedisArgument.string(prefix + "zset")
            _ = try await client.send(RedisCommand("ZADD", key, 1, "a", 2, "b"))
            let reply = try await client.send(
                RedisCommand("EVAL", "return {1, 'two', {3, redis.error_reply('nested failure')}, false}", 0))
            #expect(
                reply == .array([
                    .integer(1), .bulkString(Array("two".utf8)),
                    .array([.integer(3), .error(RedisServerError(message: "nested failure"))]), .null,
                ]))
            let ranged = try await client.send(RedisCommand("ZRANGE", key, 0, -1, "WITHSCORES"))
            #expect(ranged.array?.compactMap(\.string) == ["a", "1", "b", "2"])
        }
    }

    @Test func aBlockingPopIsWokenByAPushFromAnotherConnection() async throws {
        try await SharedRedis.withClient { client, prefix in
            let key = RedisArgument.string(prefix + "ready")
            async let popped = client.withDedicatedConnection { connection in
                try await connection.send(RedisCommand("BZPOPMIN", key, 20), timeout: .seconds(25))
            }
            // Push only once the pop is blocked, so the wake-up is what delivers it.
            var blocked = false
            for _ in 0..<200 where !blocked {
                let clients = try await client.send(RedisCommand("CLIENT", "LIST")).string ?? ""
                blocked = clients.contains("cmd=bzpopmin")
                if !blocked { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(blocked)
            _ = try await client.send(RedisCommand("ZADD", key, 5, "job-42"))
            let reply = try await popped
            #expect(reply.array?.compactMap(\.string) == [prefix + "ready", "job-42", "5"])
        }
    }

    @Test func aCommandPastItsDeadlineTimesOutAndTheClientRecovers() async throws {
        try await SharedRedis.withClient { client, prefix in
            let key = RedisArgument.string(prefix + "never")
            await #expect(throws: RedisError.timeout) {
                try await client.withDedicatedConnection { connection in
                    try await connection.send(RedisCommand("BLPOP", key, 5), timeout: .milliseconds(200))
                }
            }
            try await client.ping()
        }
    }

    @Test func functionsLoadAndReloadWhenMissing() async throws {
        try await SharedRedis.withClient { client, prefix in
            let name = "ilctest_\(UUID().uuidString.prefix(8).lowercased())"
            let library = try RedisFunctionLibrary(
                source: """
                    #!lua name=\(name)
                    redis.register_function('\(name)_incrby', function(keys, args)
                        return redis.call('INCRBY', keys[1], args[1])
                    end)
                    """)
            let key = RedisArgument.string(prefix + "fn")
            // Not loaded yet: the helper loads it and retries.
            #expect(try await client.call("\(name)_incrby", in: library, keys: [key], arguments: [3]) == .integer(3))
            _ = try await client.send(RedisCommand("FUNCTION", "DELETE", .string(name)))
            #expect(try await client.call("\(name)_incrby", in: library, keys: [key], arguments: [4]) == .integer(7))
            _ = try await client.send(RedisCommand("FUNCTION", "DELETE", .string(name)))
        }
    }

    @Test func recoversAfterTheServerRestartsUnderIt() async throws {
        let server = try await RedisTestServer()
        try await server.start()
        let client = RedisClient(configuration: server.configuration)
        _ = try await client.send(RedisCommand("SET", "before", "1"))

        try await server.kill()
        // A client that may not wait gives up with a connection error.
        var impatient = server.configuration
        impatient.reconnectTimeout = .milliseconds(200)
        let impatientClient = RedisClient(configuration: impatient)
        await #expect(throws: RedisError.self) { try await impatientClient.ping() }
        await impatientClient.close()

        // A command sent while the server is down waits for it to come back.
        async let afterRestart = client.send(RedisCommand("SET", "after", "2"))
        try await Task.sleep(for: .milliseconds(300))
        try await server.start()
        #expect(try await afterRestart.string == "OK")
        try await client.ping()
        try await client.withDedicatedConnection { connection in try await connection.ping() }
        await client.close()
        try await server.kill()
    }

    @Test func authenticatesWithAPasswordAndRefusesAWrongOne() async throws {
        let server = try await RedisTestServer(password: "s3cret")
        try await server.start()
        let client = RedisClient(configuration: server.configuration)
        try await client.ping()
        await client.close()

        var wrong = server.configuration
        wrong.password = "guess"
        let refused = RedisClient(configuration: wrong)
        await #expect(throws: RedisServerError.self) { try await refused.ping() }
        await refused.close()
        try await server.kill()
    }
}
