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
        /// Excludes other holders of this lock (and `share`) but not the key-share locks
        /// of rows referencing it: one writer at a time without holding up inserts below.
        case noKeyUpdate = "FOR NO KEY UPDATE"
        case update = "FOR UPDATE"
    }

    /// Whether the transaction's tenant has this row (another tenant's counts as missing).
    public func exists(_ table: ParentTable, id: UUID, locking lock: RowLock? = nil) async throws -> Bool {
        try await !query("SELECT 1 FROM \(unescaped: table.rawValue) WHERE id = \(id) \(unescaped: lock?.rawValue ?? "")").isEmpty
    }
}
