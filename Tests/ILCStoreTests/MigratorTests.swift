import ILCTestSupport
import Foundation
import PostgresNIO
import Testing

@testable import ILCStore

@Suite struct MigratorTests {
    let logger = TestDatabase.logger

    @Test func migrationsApplyOnceAndASecondRunChangesNothing() async throws {
        let migrations = try Migration.load(from: TestDatabase.schemaDirectory)
        try await TestDatabase.withScratchDatabase { scratch in
            try await Database.withDatabase(configuration: scratch, logger: logger) { database in
                let migrator = Migrator(migrations: migrations, logger: logger)
                let first = try await migrator.migrate(database.client)
                #expect(first.map(\.version) == migrations.map(\.version))
                let before = try await schemaFingerprint(database)

                let second = try await migrator.migrate(database.client)
                #expect(second.isEmpty)
                #expect(try await schemaFingerprint(database) == before)
            }
        }
    }

    @Test func aChangedAppliedMigrationIsRefused() async throws {
        let migrations = try Migration.load(from: TestDatabase.schemaDirectory)
        try await TestDatabase.withScratchDatabase { scratch in
            try await Database.withDatabase(configuration: scratch, logger: logger) { database in
                try await Migrator(migrations: migrations, logger: logger).migrate(database.client)

                var edited = migrations
                let original = edited[0]
                edited[0] = Migration(version: original.version, name: original.name, sql: original.sql + "\n-- edited\n")
                edited.append(Migration(version: 9999, name: "later", sql: "CREATE TABLE must_not_exist (id int)"))
                await #expect(throws: MigrationError.changedAfterApply(version: original.version, name: original.name)) {
                    try await Migrator(migrations: edited, logger: logger).migrate(database.client)
                }
                // Refused before anything ran: the later migration was not applied.
                let rows = try await database.client.query("SELECT to_regclass('must_not_exist') IS NULL").collect()
                #expect(try rows.first?.decode(Bool.self) == true)
            }
        }
    }

    @Test func aMigrationWhoseFileIsGoneIsRefused() async throws {
        let migrations = try Migration.load(from: TestDatabase.schemaDirectory)
        try await TestDatabase.withScratchDatabase { scratch in
            try await Database.withDatabase(configuration: scratch, logger: logger) { database in
                let extra = Migration(version: 9998, name: "extra", sql: "CREATE TABLE extra_table (id int)")
                try await Migrator(migrations: migrations + [extra], logger: logger).migrate(database.client)
                await #expect(throws: MigrationError.missingFile(version: 9998, name: "extra")) {
                    try await Migrator(migrations: migrations, logger: logger).migrate(database.client)
                }
            }
        }
    }

    @Test func aFailingMigrationRollsBackWhole() async throws {
        try await TestDatabase.withScratchDatabase { scratch in
            try await Database.withDatabase(configuration: scratch, logger: logger) { database in
                let broken = Migration(
                    version: 1, name: "broken", sql: "CREATE TABLE half_made (id int);\nSELECT * FROM no_such_table;")
                await #expect(throws: MigrationError.self) {
                    try await Migrator(migrations: [broken], logger: logger).migrate(database.client)
                }
                let rows = try await database.client.query(
                    "SELECT to_regclass('half_made') IS NULL, (SELECT count(*) FROM schema_migrations)").collect()
                let (absent, recorded) = try #require(rows.first).decode((Bool, Int).self)
                #expect(absent)
                #expect(recorded == 0)
            }
        }
    }

    @Test func concurrentMigratorsTakeTurns() async throws {
        let migrations = try Migration.load(from: TestDatabase.schemaDirectory)
        try await TestDatabase.withScratchDatabase { scratch in
            let results = try await withThrowingTaskGroup(of: [Migrator.AppliedMigration].self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        try await Database.withDatabase(configuration: scratch, logger: logger) { database in
                            try await Migrator(migrations: migrations, logger: logger).migrate(database.client)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { !$0.isEmpty }.count == 1)
            #expect(results.flatMap { $0 }.count == migrations.count)
        }
    }

    @Test func loadRejectsBadFileNamesAndDuplicateNumbers() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ilc-migrations-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        try "SELECT 1".write(to: directory.appendingPathComponent("0001_one.sql"), atomically: true, encoding: .utf8)
        try "SELECT 1".write(to: directory.appendingPathComponent("0001_again.sql"), atomically: true, encoding: .utf8)
        #expect(throws: MigrationError.duplicateVersion(1, "again", "one")) { try Migration.load(from: directory) }

        try FileManager.default.removeItem(at: directory.appendingPathComponent("0001_again.sql"))
        try "SELECT 1".write(to: directory.appendingPathComponent("2_short.sql"), atomically: true, encoding: .utf8)
        #expect(throws: MigrationError.badFileName("2_short.sql")) { try Migration.load(from: directory) }
    }

    /// Tables, columns, constraints, policies and functions of the public schema.
    private func schemaFingerprint(_ database: Database) async throws -> String {
        let rows = try await database.client.query(
            """
            SELECT md5(string_agg(item, '|' ORDER BY item)) FROM (
                SELECT 'column:' || table_name || '.' || column_name || ':' || data_type || ':' || is_nullable
                    || ':' || coalesce(column_default, '') AS item
                FROM information_schema.columns WHERE table_schema = 'public'
                UNION ALL
                SELECT 'constraint:' || conrelid::regclass || ':' || conname || ':' || pg_get_constraintdef(oid)
                FROM pg_constraint WHERE connamespace = 'public'::regnamespace
                UNION ALL
                SELECT 'policy:' || tablename || ':' || policyname || ':' || coalesce(qual, '') || ':' || coalesce(with_check, '')
                FROM pg_policies WHERE schemaname = 'public'
                UNION ALL
                SELECT 'function:' || proname || ':' || md5(prosrc) FROM pg_proc WHERE pronamespace = 'public'::regnamespace
                UNION ALL
                SELECT 'index:' || indexname || ':' || indexdef FROM pg_indexes WHERE schemaname = 'public'
            ) AS catalog
            """
        ).collect()
        return try #require(rows.first).decode(String.self)
    }
}
