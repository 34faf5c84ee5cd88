import Foundation
import ILCCore
import ILCRedis

extension DispatchIndex {
    /// Takes this queue's maintenance turn when nobody took it within `interval`
    /// (`<p>:maintenance`, expiring after `interval`): the interval is the queue's,
    /// so adding workers does not add passes. A worker that dies after taking the
    /// turn only delays the next pass until the key expires. False: not this one's turn.
    func takeMaintenanceTurn(every interval: Duration, by worker: String) async throws -> Bool {
        let reply = try await redis.send(
            RedisCommand(
                "SET", .string(prefix + ":maintenance"), .string(worker), .string("NX"), .string("PX"),
                .integer(max(1, interval.milliseconds))))
        return reply.string == "OK"
    }
}
