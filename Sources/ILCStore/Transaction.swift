import Logging
import PostgresNIO

/// An open transaction with its scope already set. Errors come through unwrapped
/// (`PSQLError`), so callers can match SQLSTATEs directly.
public struct Transaction: Sendable {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs one statement and collects its rows.
    @discardableResult
    public func query(_ query: PostgresQuery, file: String = #fileID, line: Int = #line) async throws -> [PostgresRow] {
        try await connection.result(of: query, logger: logger, file: file, line: line).rows
    }

    /// Runs a statement prepared once per connection and collects its rows.
    public func query<Statement: PostgresPreparedStatement>(
        _ statement: Statement, file: String = #fileID, line: Int = #line
    ) async throws -> [Statement.Row] where Statement.Row: Sendable {
        try await connection.rows(of: statement, logger: logger, file: file, line: line)
    }

    /// Runs one statement and returns how many rows it inserted, changed or deleted.
    @discardableResult
    public func execute(_ query: PostgresQuery, file: String = #fileID, line: Int = #line) async throws -> Int {
        try await connection.result(of: query, logger: logger, file: file, line: line).metadata.rows ?? 0
    }
}

extension PostgresConnection {
    /// One statement's rows together with its command tag (rows affected), which the
    /// streaming API does not give. BEGIN, COMMIT and settings need neither.
    @discardableResult
    func result(
        of query: PostgresQuery, logger: Logger, file: String = #fileID, line: Int = #line
    ) async throws -> PostgresQueryResult {
        try await answer { [self] in
            let future: EventLoopFuture<PostgresQueryResult> = self.query(query, logger: logger, file: file, line: line)
            return try await future.get()
        }
    }

    func rows<Statement: PostgresPreparedStatement>(
        of statement: Statement, logger: Logger, file: String, line: Int
    ) async throws -> [Statement.Row] where Statement.Row: Sendable {
        try await answer { [self] in
            var rows: [Statement.Row] = []
            for try await row in try await self.execute(statement, logger: logger, file: file, line: line) {
                rows.append(row)
            }
            return rows
        }
    }
}
