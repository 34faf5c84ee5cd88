import ArgumentParser
import Foundation
import ILCStore
import Logging

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending migrations from Schema/ as the owner role.",
        discussion: "Refuses to run when a migration that is already applied has changed on disk.")

    @Option(help: "PostgreSQL URL for the owner role (default: $ILC_OWNER_DATABASE_URL).")
    var ownerDatabaseURL: String?

    @Option(help: "Directory holding NNNN_name.sql files (default: $ILC_SCHEMA_DIR, else the nearest Schema/).")
    var schemaDir: String?

    @Flag(help: "Log progress to stderr.")
    var verbose = false

    func run() async throws {
        let configuration: DatabaseConfiguration
        if let ownerDatabaseURL {
            configuration = try DatabaseConfiguration(url: ownerDatabaseURL)
        } else {
            configuration = try DatabaseConfiguration.fromEnvironment("ILC_OWNER_DATABASE_URL")
        }
        let directory = try SchemaDirectory.locate(explicit: schemaDir)
        let migrations = try Migration.load(from: directory)
        let logger = Logger(label: "ilc.migrate")
        let applied = try await Database.connectForCommand(configuration: configuration, logger: logger) { database in
            try await Migrator(migrations: migrations, logger: logger).migrate(database.client)
        }
        if applied.isEmpty {
            print("database is current: \(migrations.count) migration(s), none pending")
        } else {
            for migration in applied {
                print("applied \(String(format: "%04d", migration.version)) \(migration.name)")
            }
        }
    }
}

/// Finds `Schema/`: an explicit path, `$ILC_SCHEMA_DIR`, or the nearest `Schema`
/// directory above the working directory or the executable (a checkout's `.build/`).
enum SchemaDirectory {
    static func locate(explicit: String?) throws -> URL {
        if let explicit {
            return URL(fileURLWithPath: explicit)
        }
        if let fromEnvironment = ProcessInfo.processInfo.environment["ILC_SCHEMA_DIR"], !fromEnvironment.isEmpty {
            return URL(fileURLWithPath: fromEnvironment)
        }
        let starts = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
        ]
        for start in starts {
            var directory = start.standardizedFileURL
            for _ in 0..<6 {
                let candidate = directory.appendingPathComponent("Schema")
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), isDirectory.boolValue {
                    return candidate
                }
                directory.deleteLastPathComponent()
            }
        }
        throw ValidationError("cannot find the Schema directory: pass --schema-dir or set ILC_SCHEMA_DIR")
    }
}
