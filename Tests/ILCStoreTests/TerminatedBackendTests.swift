import Foundation
import ILCCore
import ILCStore
import ILCTestSupport
import Synchronization
import Testing

@Suite struct TerminatedBackendTests {
    /// PostgreSQL ending backends in the middle of statements (an administrator's
    /// pg_terminate_backend, a failover) must fail those statements, never leave them
    /// waiting: 12 clients on a pool of 4 connections run short transactions while another
    /// connection of the same role ends every backend caught inside one, every 50 ms for
    /// 4 s. Every transaction must end, committed or failed; PostgresNIO alone leaves some
    /// waiting forever. (Small pool, few rounds: the reconnections are the expensive part,
    /// and the rest of the suite runs beside it.)
    @Test func transactionsOnTerminatedBackendsEndInsteadOfWaiting() async throws {
        try await withClients(connections: 4) { clients, terminator in
            let tally = Tally()
            let ended = await TimeBox.value(within: .seconds(120)) {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for _ in 0..<80 {
                            let ended = try? await terminator.withUnscopedTransaction { transaction in
                                try await transaction.query(
                                    """
                                    SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                                    WHERE datname = current_database() AND usename = current_user AND pid <> pg_backend_pid()
                                        AND state IN ('active', 'idle in transaction')
                                    """
                                ).first?.decode(Int.self)
                            }
                            tally.terminated.withLock { $0 += ended ?? 0 }
                            try? await Task.sleep(for: .milliseconds(50))
                        }
                        tally.terminatorDone.withLock { $0 = true }
                    }
                    for _ in 0..<12 {
                        group.addTask {
                            while !tally.terminatorDone.withLock({ $0 }) {
                                do {
                                    try await clients.withUnscopedTransaction { transaction in
                                        try await transaction.query("SELECT pg_sleep(0.01)")
                                        try await transaction.query("SELECT 1")
                                    }
                                    tally.committed.withLock { $0 += 1 }
                                } catch {
                                    tally.failed.withLock { $0 += 1 }
                                }
                            }
                        }
                    }
                }
                return true
            }
            #expect(ended == true, "a transaction still waited after 120 s")
            #expect(tally.terminated.withLock { $0 } > 0, "no backend was caught inside a transaction")
            #expect(tally.failed.withLock { $0 } > 0)
            #expect(tally.committed.withLock { $0 } > 0)
        }
    }

    /// A lease waiting for the pool's only connection when PostgreSQL ends that
    /// connection's backend must get a new connection, though no later lease comes to
    /// ask for one (PostgresNIO's pool with no minimum left it waiting for good:
    /// postgres-nio issue 657; `DatabaseConfiguration` keeps a minimum of one).
    @Test func aLeaseWaitingWhenThePoolsLastConnectionDiesGetsANewOne() async throws {
        try await withClients(connections: 1) { clients, terminator in
            let holder = Task {
                try await clients.withUnscopedTransaction { try await $0.query("SELECT pg_sleep(60), 'held'") }
            }
            let pid = try await Eventually.value(within: .seconds(10), every: .milliseconds(50)) {
                try await terminator.withUnscopedTransaction { transaction in
                    try await transaction.query(
                        """
                        SELECT pid FROM pg_stat_activity
                        WHERE datname = current_database() AND query LIKE '%''held''%' AND pid <> pg_backend_pid()
                        """
                    ).first?.decode(Int32.self)
                }
            }
            let holderPID = try #require(pid, "the holding statement never started")
            let waiting = Task {
                try await clients.withUnscopedTransaction { try await $0.query("SELECT 1").first?.decode(Int.self) }
            }
            // The second lease queues behind the first before the backend ends.
            try await Task.sleep(for: .milliseconds(300))
            try await terminator.withUnscopedTransaction { _ = try await $0.query("SELECT pg_terminate_backend(\(holderPID))") }
            await #expect(throws: (any Error).self) { try await holder.value }
            // It ends: answered on a new connection or, when the pool handed it the
            // dead one before noticing the close, failed at once.
            let ended = await TimeBox.value(within: .seconds(30)) { _ = await waiting.result; return true }
            #expect(ended == true, "the waiting lease never got a connection")
            // And the pool serves again (a lease may still be handed the dead connection
            // once, until the pool has heard of its close).
            let after = await Eventually.value(within: .seconds(2), every: .milliseconds(100)) {
                try? await clients.withUnscopedTransaction { try await $0.query("SELECT 2").first?.decode(Int.self) }
            }
            #expect(after == 2)
        }
    }

    /// A scratch database, a pool of `connections` for the clients and one of the
    /// default size for the connection that ends their backends.
    private func withClients(
        connections: Int, _ body: @escaping @Sendable (_ clients: Database, _ terminator: Database) async throws -> Void
    ) async throws {
        try await TestDatabase.withScratchDatabase { scratch in
            var limited = scratch
            limited.maximumConnections = connections
            try await Database.withDatabase(configuration: limited, logger: TestDatabase.logger) { clients in
                try await Database.withDatabase(configuration: scratch, logger: TestDatabase.logger) { terminator in
                    try await body(clients, terminator)
                }
            }
        }
    }
}

private final class Tally: Sendable {
    let terminated = Mutex(0)
    let committed = Mutex(0)
    let failed = Mutex(0)
    let terminatorDone = Mutex(false)
}
