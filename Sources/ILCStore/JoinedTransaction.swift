import Foundation
import Synchronization

/// A tenant transaction that outer code holds open around a whole request (the API's
/// idempotency keys): tenant transactions opened inside it for the same tenant join it
/// as savepoints, so an effect and the record of its answer commit together or not at
/// all. Work that must wait for the commit (telling Redis about new jobs) is deferred
/// with `Database.afterCommit`. It is one connection: its parts run one after another,
/// never from concurrent child tasks.
public final class JoinedTransaction: Sendable {
    public let tenantID: UUID
    let transaction: Transaction
    private let deferred = Mutex<[@Sendable () async -> Void]>([])
    private let savepoints = Mutex(0)

    init(tenantID: UUID, transaction: Transaction) {
        self.tenantID = tenantID
        self.transaction = transaction
    }

    func postpone(_ action: @escaping @Sendable () async -> Void) {
        deferred.withLock { $0.append(action) }
    }

    func takeDeferred() -> [@Sendable () async -> Void] {
        deferred.withLock { actions in
            defer { actions = [] }
            return actions
        }
    }

    func nextSavepoint() -> String {
        savepoints.withLock { count in
            count += 1
            return "joined_\(count)"
        }
    }
}

extension Database {
    /// The transaction the current task's tenant transactions join, if any.
    @TaskLocal public static var joined: JoinedTransaction?

    /// Runs `body` in one tenant transaction that every tenant transaction it opens
    /// (same tenant) joins; deferred work runs after the commit.
    public func withJoinedTenantTransaction<Result: Sendable>(
        _ tenantID: UUID, _ body: (Transaction) async throws -> Result
    ) async throws -> Result {
        var joined: JoinedTransaction?
        let result = try await withTenantTransaction(tenantID) { transaction in
            let shared = JoinedTransaction(tenantID: tenantID, transaction: transaction)
            joined = shared
            return try await Database.$joined.withValue(shared) { try await body(transaction) }
        }
        for action in joined?.takeDeferred() ?? [] { await action() }
        return result
    }

    /// Runs `action` once the surrounding joined transaction commits (never if it rolls
    /// back); at once when there is none.
    public func afterCommit(_ action: @escaping @Sendable () async -> Void) async {
        if let joined = Database.joined {
            joined.postpone(action)
        } else {
            await action()
        }
    }

    /// A joined part: a savepoint, so a failure inside undoes only this part, exactly as
    /// a transaction of its own would.
    func withSavepoint<Result: Sendable>(
        in joined: JoinedTransaction, _ body: (Transaction) async throws -> Result
    ) async throws -> Result {
        let name = joined.nextSavepoint()
        try await joined.transaction.query("SAVEPOINT \(unescaped: name)")
        do {
            let result = try await body(joined.transaction)
            try await joined.transaction.query("RELEASE SAVEPOINT \(unescaped: name)")
            return result
        } catch {
            _ = try? await joined.transaction.query("ROLLBACK TO SAVEPOINT \(unescaped: name)")
            throw error
        }
    }
}
