import Foundation
import ILCStore

extension JobQueue {
    /// Jobs of `tenants` waiting in Redis: cheap enough to poll, since it asks
    /// PostgreSQL nothing. Running jobs and jobs committed but not yet pushed are not
    /// counted; ask PostgreSQL for an exact answer.
    public func waitingCount(tenants: Set<UUID>) async throws -> Int {
        try await index.depth().filter { tenants.contains($0.tenantID) }.reduce(0) { $0 + $1.ready }
    }
}
