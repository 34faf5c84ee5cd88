import Foundation
import ILCRedis

/// The shared Redis of `ops/services` (from ILC_REDIS_URL), with a key prefix per
/// test so tests can run in parallel.
enum SharedRedis {
    static func configuration() throws -> RedisConfiguration {
        try RedisConfiguration.fromEnvironment("ILC_REDIS_URL")
    }

    static func withClient<Result: Sendable>(_ body: (RedisClient, String) async throws -> Result) async throws -> Result {
        let client = RedisClient(configuration: try configuration())
        let prefix = "test:\(UUID().uuidString):"
        do {
            let result = try await body(client, prefix)
            await cleanUp(client, prefix: prefix)
            return result
        } catch {
            await cleanUp(client, prefix: prefix)
            throw error
        }
    }

    private static func cleanUp(_ client: RedisClient, prefix: String) async {
        if let keys = try? await client.send(RedisCommand("KEYS", .string(prefix + "*"))).array, !keys.isEmpty {
            _ = try? await client.send(RedisCommand("DEL", arguments: keys.compactMap { $0.bytes.map(RedisArgument.bytes) }))
        }
        await client.close()
    }
}

