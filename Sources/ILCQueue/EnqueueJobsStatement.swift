import Foundation
import ILCCore
import PostgresNIO

/// Inserts one tenant's jobs through `ilc_enqueue_jobs` (Schema/0015), prepared once
/// per connection, with the caller's trace context. Rows: the jobs inserted; a request
/// whose idempotency key was taken has none.
struct EnqueueJobsStatement: PostgresPreparedStatement {
    static let sql = """
        SELECT job_id, job_priority, job_run_at
        FROM ilc_enqueue_jobs($1, $2, $3::uuid[], $4::text[], $5::int2[], $6::float8[], $7::int4[], $8::text[], $9::text[], $10::text)
        """
    typealias Row = (UUID, Int16, Date)

    let tenantID: UUID
    let queue: String
    let ids: [UUID]
    let requests: [JobRequest]
    let traceParent: String

    init(_ requests: [JobRequest], queue: String, tenantID: UUID) {
        var random = SplitMixRandom()
        let now = Date()
        self.ids = requests.map { _ in TimeOrderedID.make(at: now, using: &random) }
        self.tenantID = tenantID
        self.queue = queue
        self.requests = requests
        self.traceParent = JobTraceContext.current()
    }

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 10)
        bindings.append(tenantID)
        bindings.append(queue)
        bindings.append(ids)
        bindings.append(requests.map(\.type))
        bindings.append(requests.map { Int16($0.priority) })
        // -1: now, by the database's clock.
        bindings.append(requests.map { $0.runAt.map { $0.timeIntervalSince1970 } ?? -1 })
        bindings.append(requests.map { Int32($0.maxAttempts) })
        bindings.append(requests.map(\.payload))
        bindings.append(requests.map { $0.idempotencyKey ?? "" })
        bindings.append(traceParent)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}
