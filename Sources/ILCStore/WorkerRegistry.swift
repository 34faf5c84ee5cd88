import Foundation
import PostgresNIO

/// A worker process as operators see it.
public struct WorkerRecord: Sendable, Equatable {
    public let id: String
    public let hostname: String
    public let pid: Int
    public let version: String
    public let concurrency: Int
    public let jobTypes: [String]
    public let startedAt: Date
    public let heartbeatAt: Date
    public let stoppedAt: Date?
}

/// The `workers` table: which worker processes run, where, and when they last spoke.
/// It holds no tenant data, so it needs no scope.
public struct WorkerRegistry: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Records a starting worker (a restarted id starts afresh).
    public func register(
        id: String, hostname: String, pid: Int, version: String, concurrency: Int, jobTypes: [String]
    ) async throws {
        try await database.withUnscopedTransaction { transaction in
            try await transaction.execute(
                """
                INSERT INTO workers (id, hostname, pid, version, concurrency, job_types)
                VALUES (\(id), \(hostname), \(Int32(pid)), \(version), \(Int32(concurrency)), \(jobTypes))
                ON CONFLICT (id) DO UPDATE SET hostname = excluded.hostname, pid = excluded.pid,
                    version = excluded.version, concurrency = excluded.concurrency, job_types = excluded.job_types,
                    started_at = now(), heartbeat_at = now(), stopped_at = NULL
                """)
        }
    }

    public func heartbeat(id: String) async throws {
        try await database.withUnscopedTransaction { transaction in
            try await transaction.execute("UPDATE workers SET heartbeat_at = now() WHERE id = \(id)")
        }
    }

    public func stopped(id: String) async throws {
        try await database.withUnscopedTransaction { transaction in
            try await transaction.execute("UPDATE workers SET stopped_at = now() WHERE id = \(id)")
        }
    }

    /// Workers not stopped that spoke within `window`; the rest are gone or stopped.
    public func alive(within window: Duration) async throws -> [WorkerRecord] {
        let seconds = Double(window.components.seconds)
        return try await database.withUnscopedTransaction { transaction in
            try await transaction.query(
                """
                SELECT id, hostname, pid, version, concurrency, job_types, started_at, heartbeat_at, stopped_at
                FROM workers
                WHERE stopped_at IS NULL AND heartbeat_at > now() - make_interval(secs => \(seconds))
                ORDER BY id
                """
            ).map { row in
                let (id, hostname, pid, version, concurrency, jobTypes, startedAt, heartbeatAt, stoppedAt) = try row.decode(
                    (String, String, Int32, String, Int32, [String], Date, Date, Date?).self)
                return WorkerRecord(
                    id: id, hostname: hostname, pid: Int(pid), version: version, concurrency: Int(concurrency),
                    jobTypes: jobTypes, startedAt: startedAt, heartbeatAt: heartbeatAt, stoppedAt: stoppedAt)
            }
        }
    }
}
