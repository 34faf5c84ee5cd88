import Foundation
import ILCRedis

extension DispatchIndex {
    /// The sweeper's progress on this queue (`<p>:sweep`, milliseconds since 1970).
    func sweepProgress() async throws -> SweepProgress {
        let reply = try await redis.send(
            RedisCommand(
                "HMGET", .string(prefix + ":sweep"), .string("checked_until"), .string("last_full"),
                .string("unfinished_since"), .string("last_complete")))
        let values = (reply.array ?? []).map { $0.string.flatMap(Int64.init) }
        func date(_ index: Int) -> Date? {
            guard values.indices.contains(index), let milliseconds = values[index] else { return nil }
            return Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        }
        return SweepProgress(checkedUntil: date(0), lastFullSweep: date(1), unfinishedSince: date(2), lastCompleteSweep: date(3))
    }

    func recordSweep(_ progress: SweepProgress) async throws {
        var arguments: [RedisArgument] = [.string(prefix + ":sweep")]
        let fields = [
            ("checked_until", progress.checkedUntil), ("last_full", progress.lastFullSweep),
            ("unfinished_since", progress.unfinishedSince), ("last_complete", progress.lastCompleteSweep),
        ]
        for case let (field, date?) in fields {
            arguments += [.string(field), .integer(Self.milliseconds(date))]
        }
        guard arguments.count > 1 else { return }
        _ = try await redis.send(RedisCommand("HSET", arguments: arguments))
    }

    private static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }
}
