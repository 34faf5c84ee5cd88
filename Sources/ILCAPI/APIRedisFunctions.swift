import Foundation
import ILCCore
import ILCRedis

/// The API's Redis functions (`ratelimit.lua`, library `ilc_api`): request counts per
/// tenant (`RateLimitMiddleware`) and failed key checks per key and per client
/// (`AuthenticationThrottle`). Loaded on first use and again whenever Redis lost them.
struct APIRedisFunctions: Sendable {
    static let library = Result<RedisFunctionLibrary, any Error> {
        guard let url = Bundle.module.url(forResource: "ratelimit", withExtension: "lua") else {
            throw RedisError.invalidConfiguration("ratelimit.lua is missing from the ILCAPI bundle")
        }
        return try RedisFunctionLibrary(source: try String(contentsOf: url, encoding: .utf8))
    }

    /// How long a request waits for Redis to count it. A hung Redis (its commands wait
    /// for the client's timeout, 10 s) must not hold up every request that long.
    static let patience = Duration.milliseconds(500)

    let redis: RedisClient

    /// One call of `function` on `key`, within `patience`.
    func call(_ function: String, key: String, arguments: [RedisArgument]) async -> Result<RedisValue, any Error> {
        let answer = await TimeBox.value(within: Self.patience) { [redis] () async -> Result<RedisValue, any Error> in
            do {
                return .success(try await redis.call(function, in: try Self.library.get(), keys: [.string(key)], arguments: arguments))
            } catch {
                return .failure(error)
            }
        }
        return answer ?? .failure(RedisError.timeout)
    }
}
