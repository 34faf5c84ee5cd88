import Foundation
import ILCCore
import ILCRedis
import Logging

/// Stops online guessing of a key's secret: after `limit` failed checks of one key
/// within `window`, every attempt with that key — right or wrong — answers 429 without
/// being checked until the window ends. Counted in Redis, so all API processes share
/// the count. The price: someone who knows a key's id (not its secret) can lock it for
/// a window; a process that holds the key verified in its cache keeps serving it. If
/// Redis cannot answer, nothing is throttled.
struct KeyGuessThrottle: Sendable {
    let redis: RedisClient
    var limit = 10
    var window: Duration = .seconds(300)
    let logger: Logger

    /// Seconds until `keyID` may be tried again, when it is locked now.
    func lockedFor(keyID: UUID) async -> Int? {
        guard let (count, left) = await call("ilc_key_failures", keyID: keyID, arguments: []) else { return nil }
        return count >= limit ? Self.seconds(left) : nil
    }

    /// Counts a failed check; answers the seconds of the lock when this one locked it.
    func recordFailure(keyID: UUID) async -> Int? {
        guard let (count, left) = await call("ilc_key_failed", keyID: keyID, arguments: [.integer(window.milliseconds)]) else {
            return nil
        }
        if count == limit {
            logger.warning("API key locked after repeated failed checks", metadata: ["key": "\(keyID)", "failures": "\(count)"])
        }
        return count >= limit ? Self.seconds(left) : nil
    }

    private func call(_ function: String, keyID: UUID, arguments: [RedisArgument]) async -> (Int64, Int64)? {
        do {
            let reply = try await redis.call(
                function, in: try RateLimitMiddleware.library.get(),
                keys: [.string("ilc:key-failures:{\(keyID.uuidString.lowercased())}")], arguments: arguments)
            guard let values = reply.array, values.count == 2, let count = values[0].integer, let left = values[1].integer else {
                return nil
            }
            return (count, left)
        } catch {
            logger.warning("key throttle unavailable, check allowed", metadata: ["error": "\(error)"])
            return nil
        }
    }

    private static func seconds(_ milliseconds: Int64) -> Int {
        max(1, Int((milliseconds + 999) / 1_000))
    }
}
