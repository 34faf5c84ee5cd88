import Foundation
import ILCCore
import PostgresNIO

/// Deletes jobs that finished (succeeded, failed or canceled) longer ago than the
/// retention period; waiting and running jobs stay whatever their age. Without it
/// the jobs table only grows, and so does every full sweep and rebuild, which read
/// the whole table.
public struct JobRetention: Sendable {
    let database: Database
    public let period: Duration

    /// Creation time covered by one DELETE: the BRIN index on `created_at` keeps each
    /// statement to its own pages, and a large backlog goes in many short transactions.
    static let slice: TimeInterval = 3_600
    /// The states a job ends in (it has a `finished_at` then).
    static let finishedStates = "('succeeded', 'failed', 'canceled')"

    public init(database: Database, period: Duration) {
        self.database = database
        self.period = period
    }

    /// Deletes, oldest first, jobs that finished before `now` minus the period.
    /// Returns how many went.
    public func purgeExpired(now: Date = Date()) async throws -> Int {
        let cutoff = now.addingTimeInterval(-period.timeInterval)
        var from = try await oldestExpired(createdFrom: .distantPast, cutoff: cutoff)
        var purged = 0
        while let start = from, start < cutoff {
            let end = min(cutoff, start.addingTimeInterval(Self.slice))
            let deleted = try await database.withQueueTransaction { transaction in
                try await transaction.execute(
                    """
                    DELETE FROM jobs
                    WHERE created_at >= \(start) AND created_at < \(end)
                      AND finished_at < \(cutoff) AND state IN \(unescaped: Self.finishedStates)
                    """)
            }
            purged += deleted
            // An empty slice may start a long gap: jump it rather than walk it hour by hour.
            from = deleted > 0 ? end : try await oldestExpired(createdFrom: end, cutoff: cutoff)
        }
        return purged
    }

    /// When the oldest job created since `start` that finished before `cutoff` was
    /// created. A job finishes after it was created, so only the part of the table
    /// older than the cutoff is read.
    private func oldestExpired(createdFrom start: Date, cutoff: Date) async throws -> Date? {
        try await database.withQueueTransaction { transaction in
            try await transaction.query(
                """
                SELECT min(created_at) FROM jobs
                WHERE created_at >= \(start) AND created_at < \(cutoff)
                  AND finished_at < \(cutoff) AND state IN \(unescaped: Self.finishedStates)
                """
            ).first?.decode(Date?.self)
        }
    }
}
