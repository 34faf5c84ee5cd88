import Foundation
import ILCRedis
import ILCStore
import ILCTestSupport
import Testing

/// `ops/services backup` and `restore` on a database of their own (and a Redis of
/// their own, which the restore wipes), as an operator recovering from a mistake.
@Suite struct BackupRestoreTests {
    static let services = DeploymentFilesTests.root.appendingPathComponent("ops/services")

    private func services(_ arguments: [String], database: String, redisPort: Int) async throws -> CLIProcess.Outcome {
        try await CLIProcess.run(
            arguments, executableURL: Self.services,
            environment: ["ILC_PG_DATABASE": database, "ILC_REDIS_PORT": String(redisPort)])
    }

    private func counts(_ configuration: DatabaseConfiguration, tenant: UUID) async throws -> (participants: Int, jobs: Int) {
        try await Database.withDatabase(configuration: configuration, logger: TestDatabase.logger) { database in
            try await database.withTenantTransaction(tenant) { transaction in
                try await transaction.query("SELECT (SELECT count(*) FROM participants)::int, (SELECT count(*) FROM jobs)::int")[0]
                    .decode((Int, Int).self)
            }
        }
    }

    @Test func aRestoredBackupBringsBackADeletedTenantAndRedisStartsOver() async throws {
        let redis = try await RedisTestServer()
        try await redis.start()
        let backup = FileManager.default.temporaryDirectory.appendingPathComponent("ilc-backup-\(UUID()).dump")
        defer { try? FileManager.default.removeItem(at: backup) }
        try await TestDatabase.withMigratedScratchDatabase { app, _ in
            let tenant = try await Database.withDatabase(configuration: app, logger: TestDatabase.logger) { database in
                let tenant = try await TestDatabase.makeTenant(database)
                _ = try await ReportFixture.make(database, tenantID: tenant.id)
                try await database.withTenantTransaction(tenant.id) { transaction in
                    try await transaction.query("INSERT INTO jobs (tenant_id, id, type) VALUES (\(tenant.id), \(UUID()), 'report-generation')")
                }
                return tenant
            }
            #expect(try await counts(app, tenant: tenant.id) == (24, 1))

            let dumped = try await services(["backup", backup.path], database: app.database, redisPort: redis.port)
            #expect(dumped.status == 0, "\(dumped.standardError)")
            #expect(dumped.lastLine == backup.path)

            // The mistake: the tenant is deleted, and Redis holds something.
            try await Database.withDatabase(configuration: app, logger: TestDatabase.logger) { database in
                let deleted = try await TenantStore(database: database).delete(id: tenant.id, slug: tenant.slug.rawValue)
                #expect(deleted != nil)
            }
            #expect(try await counts(app, tenant: tenant.id) == (0, 0))
            let connection = try await RedisConnection.connect(to: redis.configuration)
            _ = try await connection.send(RedisCommand("SET", "{ilc:report-generation}:epoch", "old"))

            let restored = try await services(["restore", backup.path], database: app.database, redisPort: redis.port)
            #expect(restored.status == 0, "\(restored.standardError)")
            #expect(try await counts(app, tenant: tenant.id) == (24, 1))
            #expect(try await connection.send(RedisCommand("DBSIZE")).integer == 0)
            await connection.close()

            let refused = try await services(["restore", "/nonexistent.dump"], database: app.database, redisPort: redis.port)
            #expect(refused.status != 0)
            #expect(try await counts(app, tenant: tenant.id) == (24, 1))
        }
    }
}
