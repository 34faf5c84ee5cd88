import Foundation
import ILCStore
import PostgresNIO

/// A tenant's job by id in one prepared statement: `ilc_tenant_job` scopes its own
/// statement to the tenant (migration 0009), so no transaction is needed around it.
struct FindJobStatement: PostgresPreparedStatement {
    static let sql = "SELECT \(JobStore.recordColumns) FROM ilc_tenant_job($1, $2)"
    typealias Row = JobRecord

    let tenantID: UUID
    let jobID: UUID

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(tenantID)
        bindings.append(jobID)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try JobStore.record(row)
    }
}
