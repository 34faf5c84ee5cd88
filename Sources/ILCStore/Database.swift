import Foundation
import Logging
import NIOSSL
import PostgresNIO
import ServiceLifecycle

/// The one door to PostgreSQL. Tenant tables are reachable only through
/// `withTenantTransaction` (or, for tenant administration, `withOperatorTransaction`),
/// which set the transaction-local settings that row-level security reads.
public final class Database: Service {
    public let client: PostgresClient
    /// Connections opened in queue scope for their whole session, so the queue
    /// runtime's batched statements each take one round trip (no BEGIN, set_config,
    /// COMMIT). They reach the jobs table and nothing else of any tenant.
    ///
    /// Their commits do not wait for the WAL flush (synchronous_commit off): a claim or
    /// a lease extension lost in a PostgreSQL crash only means the job runs again, which
    /// a worker crash at the same moment would mean anyway. Outcomes turn it on for
    /// their own statement (`CompleteJobsStatement`); enqueues and all domain writes go
    /// through the main pool and stay fully durable.
    let queueClient: PostgresClient
    let logger: Logger

    public init(configuration: DatabaseConfiguration, logger: Logger) {
        self.client = PostgresClient(configuration: configuration.clientConfiguration, backgroundLogger: logger)
        var queueConfiguration = configuration.clientConfiguration
        // Their statements are prepared once per connection and take arrays, so one
        // generic plan fits every batch: no planning per call.
        queueConfiguration.options.additionalStartupParameters = [
            ("app.queue", "on"), ("synchronous_commit", "off"), ("plan_cache_mode", "force_generic_plan"),
        ]
        queueConfiguration.options.maximumConnections = max(4, configuration.maximumConnections / 2)
        self.queueClient = PostgresClient(configuration: queueConfiguration, backgroundLogger: logger)
        self.logger = logger
    }

    /// Runs the connection pools until the surrounding task is cancelled.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.queueClient.run() }
            // In this task, not a child: `withDatabase` signals just before calling
            // `run()`, and the main pool should be running by the time it is used.
            await self.client.run()
        }
    }

    /// One statement, committed on its own, in queue scope: the jobs of every tenant
    /// are visible, no other tenant table is. For the queue runtime's batched writes.
    @discardableResult
    public func queueStatement(_ query: PostgresQuery, file: String = #fileID, line: Int = #line) async throws -> PostgresQueryResult {
        try await queueClient.withConnection { connection in
            try await connection.result(of: query, logger: logger, file: file, line: line)
        }
    }

    /// The same for a statement prepared once per connection (the queue runtime's hot
    /// path, where planning would cost more than the batch itself).
    public func queueStatement<Statement: PostgresPreparedStatement>(
        _ statement: Statement, file: String = #fileID, line: Int = #line
    ) async throws -> [Statement.Row] where Statement.Row: Sendable {
        try await queueClient.withConnection { connection in
            try await connection.rows(of: statement, logger: logger, file: file, line: line)
        }
    }

    /// Starts the pool, runs `body`, then stops the pool: for commands and tests
    /// that do not live inside a service group.
    @discardableResult
    public static func withDatabase<Result: Sendable>(
        configuration: DatabaseConfiguration,
        logger: Logger,
        _ body: @Sendable (Database) async throws -> Result
    ) async throws -> Result {
        let database = Database(configuration: configuration, logger: logger)
        let (started, signal) = AsyncStream<Void>.makeStream()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                signal.finish()
                await database.run()
            }
            defer { group.cancelAll() }
            // Leasing before the pool runs works but logs a warning on every command.
            for await _ in started {}
            return try await body(database)
        }
    }

    /// One statement on its own, with no scope set: only for calls of SQL functions
    /// that set their scope themselves (such as `ilc_enqueue_jobs`). Anything else
    /// touching a tenant table fails closed.
    @discardableResult
    public func standaloneStatement(_ query: PostgresQuery, file: String = #fileID, line: Int = #line) async throws -> PostgresQueryResult {
        try await client.withConnection { connection in
            try await connection.result(of: query, logger: logger, file: file, line: line)
        }
    }

    /// `standaloneStatement` for a statement prepared once per connection.
    public func standaloneStatement<Statement: PostgresPreparedStatement>(
        _ statement: Statement, file: String = #fileID, line: Int = #line
    ) async throws -> [Statement.Row] where Statement.Row: Sendable {
        try await client.withConnection { connection in
            try await connection.rows(of: statement, logger: logger, file: file, line: line)
        }
    }

    /// Opens and closes one connection: fails fast, with the server's or the network's
    /// reason, where the pool would keep retrying in the background.
    public static func checkReachable(_ configuration: DatabaseConfiguration, logger: Logger) async throws {
        let connection = try await connectAlone(configuration, connectTimeout: .seconds(5), logger: logger)
        try await connection.close()
    }

    /// A connection outside the pools, for checks the pools must not hold up.
    static func connectAlone(
        _ configuration: DatabaseConfiguration, connectTimeout: Duration, logger: Logger
    ) async throws -> PostgresConnection {
        let tls: PostgresConnection.Configuration.TLS
        switch configuration.tlsMode {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var connectionConfiguration = PostgresConnection.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.username,
            password: configuration.password, database: configuration.database, tls: tls)
        connectionConfiguration.options.connectTimeout = TimeAmount(connectTimeout)
        return try await PostgresConnection.connect(configuration: connectionConfiguration, id: 0, logger: logger)
    }

    /// A transaction in which exactly one tenant's rows are visible. Inside a joined
    /// transaction of the same tenant it is a part of that one (`JoinedTransaction`).
    @discardableResult
    public func withTenantTransaction<Result: Sendable>(
        _ tenantID: UUID,
        _ body: (Transaction) async throws -> Result
    ) async throws -> Result {
        try await withTenantScope(tenantID, begin: "BEGIN", body)
    }

    /// A read-only `withTenantTransaction` whose statements all see one snapshot
    /// (REPEATABLE READ, which never fails a transaction that only reads). For reads of
    /// several statements that must agree — a page and the rows nested in it, a report's
    /// figures — where READ COMMITTED would let a commit land between two of them.
    public func withTenantSnapshot<Result: Sendable>(
        _ tenantID: UUID,
        _ body: (Transaction) async throws -> Result
    ) async throws -> Result {
        try await withTenantScope(tenantID, begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    private func withTenantScope<Result: Sendable>(
        _ tenantID: UUID, begin: PostgresQuery, _ body: (Transaction) async throws -> Result
    ) async throws -> Result {
        if let joined = Database.joined, joined.tenantID == tenantID {
            return try await withSavepoint(in: joined, body)
        }
        return try await withTransaction(begin: begin, settings: [("app.tenant_id", tenantID.uuidString)], body)
    }

    /// A transaction for tenant administration: the global tables (tenants, operator
    /// keys) are visible, tenant tables are not.
    @discardableResult
    public func withOperatorTransaction<Result: Sendable>(
        _ body: (Transaction) async throws -> Result
    ) async throws -> Result {
        try await withTransaction(settings: [("app.operator", "on")], body)
    }

    /// A transaction for the queue runtime: the jobs of every tenant are visible (claims
    /// and completions are batched across tenants), no other tenant table is.
    @discardableResult
    public func withQueueTransaction<Result: Sendable>(
        _ body: (Transaction) async throws -> Result
    ) async throws -> Result {
        try await withTransaction(settings: [("app.queue", "on")], body)
    }

    /// A transaction with neither setting: tenant tables fail closed. Used for global
    /// bookkeeping (workers) and to prove the failure in tests.
    @discardableResult
    public func withUnscopedTransaction<Result: Sendable>(
        _ body: (Transaction) async throws -> Result
    ) async throws -> Result {
        try await withTransaction(settings: [], body)
    }

    private func withTransaction<Result: Sendable>(
        begin: PostgresQuery = "BEGIN",
        settings: [(String, String)],
        _ body: (Transaction) async throws -> Result
    ) async throws -> Result {
        try await client.withConnection { connection in
            try await connection.result(of: begin, logger: logger)
            do {
                for (name, value) in settings {
                    // set_config(…, true) is transaction-local: it ends with COMMIT or
                    // ROLLBACK, so a pooled connection never carries a tenant over.
                    try await connection.result(of: "SELECT set_config(\(name), \(value), true)", logger: logger)
                }
                let result = try await body(Transaction(connection: connection, logger: logger))
                try await connection.result(of: "COMMIT", logger: logger)
                return result
            } catch {
                do {
                    try await connection.result(of: "ROLLBACK", logger: logger)
                } catch let rollbackError {
                    // Never back into the pool still inside this transaction (its tenant
                    // setting included): closed, the pool replaces it.
                    logger.warning("rollback failed", metadata: ["error": "\(String(reflecting: rollbackError))"])
                    try? await connection.close()
                }
                throw error
            }
        }
    }
}
