import Foundation
import ILCCore
import Logging
import PostgresNIO

/// Applies `Schema/*.sql` in order, each in its own transaction, under an advisory
/// lock so that two processes migrating at once take turns instead of racing.
public struct Migrator: Sendable {
    /// Arbitrary but fixed: identifies "the ILC migrator" among advisory locks.
    static let advisoryLockKey: Int64 = 0x1C_5C4E_3A00_0001

    public struct AppliedMigration: Sendable, Equatable {
        public let version: Int
        public let name: String
    }

    let migrations: [Migration]
    let logger: Logger

    public init(migrations: [Migration], logger: Logger) {
        self.migrations = migrations
        self.logger = logger
    }

    /// Applies what is pending and returns it; an empty result means the database was
    /// current. Refuses to do anything when an applied migration's file changed.
    @discardableResult
    public func migrate(_ client: PostgresClient) async throws -> [AppliedMigration] {
        try await client.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(\(Self.advisoryLockKey))", logger: logger)
            do {
                let applied = try await migrateLocked(connection)
                try await connection.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))", logger: logger)
                return applied
            } catch {
                // The lock is session-level: release it even on failure so the pooled
                // connection does not keep it.
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))", logger: logger)
                throw error
            }
        }
    }

    /// Versions recorded in the database with their names, for `ilc status`.
    public func appliedVersions(_ client: PostgresClient) async throws -> [Int: String] {
        try await client.withConnection { connection in
            let rows = try await connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL", logger: logger)
            var exists = false
            for try await present in rows.decode(Bool.self) {
                exists = present
            }
            return exists ? try await readLedger(connection).mapValues(\.name) : [:]
        }
    }

    private func migrateLocked(_ connection: PostgresConnection) async throws -> [AppliedMigration] {
        try await ensureLedger(connection)
        let ledger = try await readLedger(connection)
        for (version, entry) in ledger.sorted(by: { $0.key < $1.key }) {
            guard let migration = migrations.first(where: { $0.version == version }) else {
                throw MigrationError.missingFile(version: version, name: entry.name)
            }
            guard migration.checksum == entry.checksum else {
                throw MigrationError.changedAfterApply(version: version, name: entry.name)
            }
        }
        var applied: [AppliedMigration] = []
        for migration in migrations.sorted(by: { $0.version < $1.version }) where ledger[migration.version] == nil {
            try await apply(migration, on: connection)
            applied.append(AppliedMigration(version: migration.version, name: migration.name))
        }
        return applied
    }

    private func apply(_ migration: Migration, on connection: PostgresConnection) async throws {
        let started = ContinuousClock.now
        try await connection.query("BEGIN", logger: logger)
        do {
            for (number, statement) in SQLScript.statements(in: migration.sql).enumerated() {
                do {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                } catch let error as PSQLError {
                    throw MigrationError.failed(
                        version: migration.version, name: migration.name, statement: number + 1,
                        message: error.serverInfo?[.message] ?? String(reflecting: error))
                }
            }
            let elapsed = started.duration(to: .now)
            let milliseconds = Int(elapsed.milliseconds)
            try await connection.query(
                """
                INSERT INTO schema_migrations (version, name, checksum, execution_ms)
                VALUES (\(migration.version), \(migration.name), \(migration.checksum), \(milliseconds))
                """, logger: logger)
            try await connection.query("COMMIT", logger: logger)
            logger.info("applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    private func ensureLedger(_ connection: PostgresConnection) async throws {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version      integer PRIMARY KEY,
                name         text NOT NULL,
                checksum     text NOT NULL,
                execution_ms integer NOT NULL,
                applied_at   timestamptz NOT NULL DEFAULT now()
            )
            """, logger: logger)
    }

    private func readLedger(_ connection: PostgresConnection) async throws -> [Int: (name: String, checksum: String)] {
        var ledger: [Int: (name: String, checksum: String)] = [:]
        let rows = try await connection.query("SELECT version, name, checksum FROM schema_migrations", logger: logger)
        for try await (version, name, checksum) in rows.decode((Int, String, String).self) {
            ledger[version] = (name, checksum)
        }
        return ledger
    }
}
