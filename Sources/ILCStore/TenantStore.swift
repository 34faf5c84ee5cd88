import Foundation
import ILCCore
import PostgresNIO

/// Tenant administration. Operator scope: it sees every tenant.
public struct TenantStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func create(slug: TenantSlug, name: String, kind: TenantKind) async throws -> Tenant {
        let trimmedName = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(trimmedName.count) else {
            throw ValidationError(field: "name", message: "must be 1–200 characters")
        }
        do {
            return try await database.withOperatorTransaction { transaction in
                let rows = try await transaction.query(
                    """
                    INSERT INTO tenants (slug, name, kind) VALUES (\(slug.rawValue), \(trimmedName), \(kind.rawValue))
                    RETURNING \(unescaped: Self.columns)
                    """)
                return try Self.decode(rows)[0]
            }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw StoreError.conflict("a tenant with slug '\(slug)' already exists")
        }
    }

    public func list() async throws -> [Tenant] {
        try await database.withOperatorTransaction { transaction in
            try Self.decode(try await transaction.query("SELECT \(unescaped: Self.columns) FROM tenants ORDER BY slug"))
        }
    }

    public func find(slug: TenantSlug) async throws -> Tenant {
        let found = try await database.withOperatorTransaction { transaction in
            try Self.decode(
                try await transaction.query("SELECT \(unescaped: Self.columns) FROM tenants WHERE slug = \(slug.rawValue)"))
        }
        guard let tenant = found.first else {
            throw StoreError.notFound("no tenant with slug '\(slug)'")
        }
        return tenant
    }

    /// Nil when there is no such tenant.
    public func find(id: UUID) async throws -> Tenant? {
        try await database.withOperatorTransaction { transaction in
            try Self.decode(try await transaction.query("SELECT \(unescaped: Self.columns) FROM tenants WHERE id = \(id)")).first
        }
    }

    /// Applies `changes`; nil when there is no such tenant.
    public func update(id: UUID, _ changes: TenantChanges) async throws -> Tenant? {
        let (setRateLimit, rateLimit): (Bool, Int?) = switch changes.rateLimit {
        case .perSecond(let limit): (true, limit)
        case .serverDefault: (true, nil)
        case nil: (false, nil)
        }
        return try await database.withOperatorTransaction { transaction in
            try Self.decode(try await transaction.query(
                """
                UPDATE tenants SET
                    name = coalesce(\(changes.name), name), public_name = coalesce(\(changes.publicName), public_name),
                    sharing = coalesce(\(changes.sharing?.rawValue), sharing),
                    suppression_threshold = coalesce(\(changes.suppressionThreshold), suppression_threshold),
                    report_retention_days = coalesce(\(changes.reportRetentionDays), report_retention_days),
                    queue_weight = coalesce(\(changes.queueWeight), queue_weight),
                    max_in_flight = CASE WHEN \(changes.maxInFlight)::integer IS NULL THEN max_in_flight
                                         ELSE nullif(\(changes.maxInFlight), 0) END,
                    rate_limit = CASE WHEN \(setRateLimit) THEN \(rateLimit)::integer ELSE rate_limit END,
                    updated_at = now()
                WHERE id = \(id)
                RETURNING \(unescaped: Self.columns)
                """)).first
        }
    }

    /// Deletes the tenant and everything it owns (migration 0014), confirmed by its
    /// slug. Answers the matching jobs of network sharing runs that were waiting only
    /// for it (the caller hands them to Redis); nil when no tenant has this id and slug.
    public func delete(id: UUID, slug: String) async throws -> [AddedJob]? {
        do {
            return try await database.withOperatorTransaction { transaction in
                try await transaction.query("SELECT tenant_id, job_id FROM ilc_delete_tenant(\(id), \(slug))").map { row in
                    let (tenant, job) = try row.decode((UUID, UUID).self)
                    return AddedJob(tenantID: tenant, id: job)
                }
            }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "P0002" {
            return nil
        }
    }

    static let columns = """
        id, slug, name, kind, public_name, sharing, suppression_threshold, report_retention_days, queue_weight, max_in_flight,
        rate_limit, created_at, updated_at
        """

    static func decode(_ rows: [PostgresRow]) throws -> [Tenant] {
        try rows.map { row in
            let (id, slug, name, kind, publicName, sharing, threshold, retention, weight, maxInFlight, rateLimit, createdAt, updatedAt) =
                try row.decode((UUID, String, String, String, String?, String, Int, Int, Int, Int?, Int?, Date, Date).self)
            guard let tenantKind = TenantKind(rawValue: kind), let sharingPolicy = SharingPolicy(rawValue: sharing) else {
                throw StoreError.corrupt("tenant \(id) has kind '\(kind)' and sharing '\(sharing)'")
            }
            return Tenant(
                id: id, slug: try TenantSlug(slug), name: name, kind: tenantKind, publicName: publicName,
                sharing: sharingPolicy, suppressionThreshold: threshold, reportRetentionDays: retention, queueWeight: weight, maxInFlight: maxInFlight,
                rateLimit: rateLimit, createdAt: createdAt, updatedAt: updatedAt)
        }
    }
}
