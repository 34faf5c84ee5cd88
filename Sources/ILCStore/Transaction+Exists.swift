import Foundation
import PostgresNIO

extension Transaction {
    /// The tables whose rows other rows hang from.
    public enum ParentTable: String, Sendable {
        case cycles
        case collectives
    }

    /// Row locks a check may take, so the row cannot change (or vanish) before the commit.
    public enum RowLock: String, Sendable {
        case keyShare = "FOR KEY SHARE"
        case share = "FOR SHARE"
        case update = "FOR UPDATE"
    }

    /// Whether the transaction's tenant has this row (another tenant's counts as missing).
    public func exists(_ table: ParentTable, id: UUID, locking lock: RowLock? = nil) async throws -> Bool {
        try await !query("SELECT 1 FROM \(unescaped: table.rawValue) WHERE id = \(id) \(unescaped: lock?.rawValue ?? "")").isEmpty
    }
}
