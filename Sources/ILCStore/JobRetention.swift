import Foundation
import ILCCore
import PostgresNIO

/// Deletes jobs that finished (succeeded, failed or canceled) longer ago than the
/// retention period; waiting and running jobs stay whatever their age. Without it
/// the jobs table only grows, and with it every full sweep and rebuild, which read
/// the whole table.
public struct JobRetention: Sendable {
    let database: Database
    public let period: Duration

    /// Creation time covered by one DELETE: the BRIN index on `created_at` keeps each
    /// statement to its own pages, and a large backlog goes in many short transactions.
    static let slice: TimeInterval = 3_600

    public init(database: Database, period: Duration) {
        self.database = database
        self.period = period
    }

    /// Deletes, oldest first, jobs that finished before `now` minus the period.
    /// Returns how many went.
    public func purgeExpired(now: Date = Date()) async throws -> Int {
        let cutoff = now.addingTimeInterval(-period.timeInterval)
        // A job finishes after it was created, so every expired one was created
        // before the cutoff too: only that older part of the table is read.
        var from = try await database.withQueueTransaction { transaction in
            try await transaction.query(
                """
                SELECT min(created_at) FROM jobs
                WHERE created_at < \(cutoff) AND finished_at < \(cutoff) AND state IN ('succeeded', 'failed', 'canceled')
                """
            ).first?.decode(Date?.self)
        }
        var purged = 0
        while let start = from, start < cutoff {
            let end = min(cutoff, start.addingTimeInterval(Self.slice))
            purged += try await database.withQueueTransaction { transaction in
                try await transaction.execute(
                    """
                    DELETE FROM jobs
                    WHERE created_at >= \(start) AND created_at < \(end)
                      AND finished_at < \(cutoff) AND state IN ('succeeded', 'failed', 'canceled')
                    """)
            }
            from = end
        }
        return purged
    }
}
