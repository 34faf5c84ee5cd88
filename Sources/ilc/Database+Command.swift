import ILCStore
import Logging
import PostgresNIO

extension Database {
    /// For a one-shot command: check the server answers (so a typo in the URL or a
    /// stopped server fails in a moment, not after the pool's retries), then run.
    static func connectForCommand<Result: Sendable>(
        configuration: DatabaseConfiguration,
        logger: Logger,
        _ body: @Sendable (Database) async throws -> Result
    ) async throws -> Result {
        do {
            try await Database.checkReachable(configuration, logger: logger)
        } catch let error as PSQLError where error.serverInfo == nil {
            throw UnreachableDatabase(host: configuration.host, port: configuration.port)
        }
        return try await Database.withDatabase(configuration: configuration, logger: logger, body)
    }
}

struct UnreachableDatabase: Error, CustomStringConvertible {
    let host: String
    let port: Int

    var description: String {
        "cannot reach PostgreSQL at \(host):\(port) (is it running? ops/services up)"
    }
}
