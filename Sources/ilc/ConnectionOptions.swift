import ArgumentParser
import Foundation
import ILCRedis
import ILCStore
import Logging

/// The settings every command shares: flags win over the environment.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "PostgreSQL URL for the application role (default: $ILC_DATABASE_URL).")
    var databaseURL: String?

    @Option(help: "Redis URL (default: $ILC_REDIS_URL).")
    var redisURL: String?

    @Flag(help: "Log progress to stderr.")
    var verbose = false

    var logger: Logger { Logger(label: "ilc") }

    func databaseConfiguration() throws -> DatabaseConfiguration {
        if let databaseURL {
            return try DatabaseConfiguration(url: databaseURL)
        }
        return try DatabaseConfiguration.fromEnvironment("ILC_DATABASE_URL")
    }

    func redisConfiguration() throws -> RedisConfiguration {
        if let redisURL {
            return try RedisConfiguration(url: redisURL)
        }
        return try RedisConfiguration.fromEnvironment("ILC_REDIS_URL")
    }

    func withDatabase<Result: Sendable>(_ body: @Sendable (Database) async throws -> Result) async throws -> Result {
        try await Database.connectForCommand(configuration: try databaseConfiguration(), logger: logger, body)
    }
}
