import Foundation
import ILCCore
import ILCRedis
import Logging

/// Stops online guessing of API keys, with counts in Redis so all API processes share
/// them (`AuthenticationLimits` sets the numbers):
/// - per key: after too many wrong secrets for one key within the window, every attempt
///   with that key — right or wrong — answers 429 `key_locked` unchecked until the window
///   ends. The price: someone who knows a key's id (not its secret) can lock it for a
///   window; a process that holds the key verified in its cache keeps serving it.
/// - per client address: after too many failed checks of well-formed keys (unknown ids,
///   wrong secrets) from one client, its keys are not checked (429 `client_locked`) until
///   the window ends, so trying many random keys gets nowhere either; keys it verified
///   lately (cached) keep working. Not counted: text that is no key (no lookup, can never
///   match) and revoked or expired keys (their secret was right).
/// If Redis cannot answer, nothing is throttled.
struct AuthenticationThrottle: Sendable {
    enum Lock: Equatable {
        case key(seconds: Int)
        case client(seconds: Int)

        var problem: APIProblem {
            switch self {
            case .key(let seconds): APIProblem.keyLocked(retryAfter: seconds)
            case .client(let seconds): APIProblem.clientLocked(retryAfter: seconds)
            }
        }
    }

    let functions: APIRedisFunctions
    let limits: AuthenticationLimits
    let logger: Logger

    /// The lock on `keyID` or on `client`, when there is one now.
    func lock(keyID: UUID, client: ClientAddress?) async -> Lock? {
        async let keyCount = count("ilc_key_failures", key: limits.perKey > 0 ? Self.redisKey(keyID) : nil, arguments: [])
        async let clientCount = count("ilc_key_failures", key: clientKey(client), arguments: [])
        return lock(key: await keyCount, client: await clientCount)
    }

    /// Counts a failed check of a well-formed key; answers the lock when this one locked
    /// the key or the client (or they already were).
    func recordFailure(keyID: UUID, wrongSecret: Bool, client: ClientAddress?) async -> Lock? {
        let window: [RedisArgument] = [.integer(limits.window.milliseconds)]
        let keyKey = wrongSecret && limits.perKey > 0 ? Self.redisKey(keyID) : nil
        async let keyCount = count("ilc_key_failed", key: keyKey, arguments: window)
        async let clientCount = count("ilc_key_failed", key: clientKey(client), arguments: window)
        let (keyFailures, clientFailures) = await (keyCount, clientCount)
        if keyFailures?.count == Int64(limits.perKey) {
            logger.warning("API key locked after repeated failed checks", metadata: ["key": "\(keyID)", "failures": "\(limits.perKey)"])
        }
        if let client, clientFailures?.count == Int64(limits.perClient) {
            logger.warning(
                "client locked out after repeated failed key checks", metadata: ["client": "\(client.text)", "failures": "\(limits.perClient)"])
        }
        return lock(key: keyFailures, client: clientFailures)
    }

    private func lock(key: (count: Int64, left: Int64)?, client: (count: Int64, left: Int64)?) -> Lock? {
        if let key, key.count >= limits.perKey { return .key(seconds: Self.seconds(key.left)) }
        if let client, client.count >= limits.perClient { return .client(seconds: Self.seconds(client.left)) }
        return nil
    }

    private func clientKey(_ client: ClientAddress?) -> String? {
        guard let client, limits.perClient > 0 else { return nil }
        return "ilc:client-failures:{\(client.text)}"
    }

    private static func redisKey(_ keyID: UUID) -> String {
        "ilc:key-failures:{\(keyID.uuidString.lowercased())}"
    }

    /// Failures so far and milliseconds until they are forgotten; nil without a key or an answer.
    private func count(_ function: String, key: String?, arguments: [RedisArgument]) async -> (count: Int64, left: Int64)? {
        guard let key else { return nil }
        switch await functions.call(function, key: key, arguments: arguments) {
        case .success(let reply):
            guard let values = reply.array, values.count == 2, let count = values[0].integer, let left = values[1].integer else {
                return nil
            }
            return (count, left)
        case .failure(let error):
            logger.warning("authentication throttle unavailable, check allowed", metadata: ["error": "\(error)"])
            return nil
        }
    }

    private static func seconds(_ milliseconds: Int64) -> Int {
        max(1, Int((milliseconds + 999) / 1_000))
    }
}
