import Foundation
import ILCCore
import ILCStore
import Logging
import PostgresNIO

/// Connections for tests: the application role (what the API and workers use) and
/// the owner role (migrations, scratch databases). Both come from the environment
/// that `ops/services env` prints; a missing variable fails the test with its name.
public enum TestDatabase {
    public static let logger = Logger(label: "ilc.tests")

    public static let schemaDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Schema")

    public static func appConfiguration() throws -> DatabaseConfiguration {
        try DatabaseConfiguration.fromEnvironment("ILC_DATABASE_URL")
    }

    public static func ownerConfiguration() throws -> DatabaseConfiguration {
        try DatabaseConfiguration.fromEnvironment("ILC_OWNER_DATABASE_URL")
    }

    /// Migrates the shared test database once per process (the migrator's advisory
    /// lock makes concurrent processes safe too).
    public static let migrated = Task<Void, any Error> {
        let migrations = try Migration.load(from: schemaDirectory)
        try await Database.withDatabase(configuration: try ownerConfiguration(), logger: logger) { database in
            try await Migrator(migrations: migrations, logger: logger).migrate(database.client)
        }
    }

    /// One pool for the application role, shared by all tests of the process like the
    /// API shares one: opening a pool per test would make dozens of logins at once.
    public static let sharedApp = Task<Database, any Error> {
        try await migrated.value
        let database = Database(configuration: try appConfiguration(), logger: logger)
        Task.detached { await database.run() }
        return database
    }

    /// Runs `body` with the application role's pool on a migrated database.
    @discardableResult
    public static func withApp<Result: Sendable>(_ body: @Sendable (Database) async throws -> Result) async throws -> Result {
        try await body(try await sharedApp.value)
    }

    /// A fresh tenant with a unique slug, so tests never depend on each other's rows.
    public static func makeTenant(_ database: Database, kind: TenantKind = .state) async throws -> Tenant {
        let suffix = UUID().uuidString.prefix(12).lowercased()
        return try await TenantStore(database: database).create(
            slug: try TenantSlug("test-\(suffix)"), name: "Test agency \(suffix)", kind: kind)
    }

    /// An empty database owned by the owner role, dropped afterwards.
    public static func withScratchDatabase<Result: Sendable>(
        _ body: @Sendable (DatabaseConfiguration) async throws -> Result
    ) async throws -> Result {
        let owner = try ownerConfiguration()
        let name = "ilc_scratch_\(UUID().uuidString.prefix(8).lowercased())"
        try await Database.withDatabase(configuration: owner, logger: logger) { database in
            try await database.client.query("CREATE DATABASE \(unescaped: name)")
        }
        var scratch = owner
        scratch.database = name
        do {
            let result = try await body(scratch)
            try await dropDatabase(name, owner: owner)
            return result
        } catch {
            try? await dropDatabase(name, owner: owner)
            throw error
        }
    }

    /// A scratch database with every migration applied, for tests whose subject spans
    /// all tenants (network runs) and so must not see other tests' tenants. `body` gets
    /// the application role's configuration for it and that role's URL.
    public static func withMigratedScratchDatabase<Result: Sendable>(
        _ body: @Sendable (_ app: DatabaseConfiguration, _ appURL: String) async throws -> Result
    ) async throws -> Result {
        try await withScratchDatabase { scratch in
            try await Database.withDatabase(configuration: scratch, logger: logger) { database in
                try await Migrator(migrations: try Migration.load(from: schemaDirectory), logger: logger).migrate(database.client)
            }
            var app = try appConfiguration()
            app.database = scratch.database
            guard let shared = ProcessInfo.processInfo.environment["ILC_DATABASE_URL"], var url = URLComponents(string: shared) else {
                throw ConfigurationError("ILC_DATABASE_URL is not set or not a URL")
            }
            url.path = "/" + scratch.database
            return try await body(app, url.string ?? shared)
        }
    }

    /// FORCE ends connections a test left open, but only those the owner role may signal:
    /// an autovacuum worker visiting the new database makes it fail with 42501. A plain
    /// DROP then succeeds, because PostgreSQL itself cancels autovacuum for it.
    private static func dropDatabase(_ name: String, owner: DatabaseConfiguration) async throws {
        try await Database.withDatabase(configuration: owner, logger: logger) { database in
            do {
                try await database.client.query("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)")
            } catch let error as PSQLError where error.sqlState == "42501" {
                try await database.client.query("DROP DATABASE IF EXISTS \(unescaped: name)")
            } catch {
                logger.error("could not drop scratch database", metadata: [
                    "database": "\(name)", "error": "\(String(reflecting: error))",
                ])
                throw error
            }
        }
    }
}

extension PSQLError {
    public var sqlState: String? { serverInfo?[.sqlState] }
}
