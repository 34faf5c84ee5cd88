import Foundation
import ILCStore

extension JobQueue {
    /// Jobs of `tenants` that wait in Redis or run, read from Redis and the lease
    /// index: cheap enough to poll. Jobs committed but not yet pushed are not counted.
    public func unfinishedCount(tenants: Set<UUID>) async throws -> Int {
        let waiting = try await index.depth().filter { tenants.contains($0.tenantID) }.reduce(0) { $0 + $1.ready }
        let running = try await database.queueStatement(
            """
            SELECT count(*) FROM jobs
            WHERE state IN ('running', 'canceling') AND queue = \(configuration.name) AND tenant_id = ANY(\(Array(tenants))::uuid[])
            """)
        return waiting + (try running.first?.decode(Int.self) ?? 0)
    }
}
