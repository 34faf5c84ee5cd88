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

    static let columns = "id, slug, name, kind, sharing, created_at"

    static func decode(_ rows: [PostgresRow]) throws -> [Tenant] {
        try rows.map { row in
            let (id, slug, name, kind, sharing, createdAt) = try row.decode((UUID, String, String, String, String, Date).self)
            guard let tenantKind = TenantKind(rawValue: kind), let sharingPolicy = SharingPolicy(rawValue: sharing) else {
                throw StoreError.corrupt("tenant \(id) has kind '\(kind)' and sharing '\(sharing)'")
            }
            return Tenant(
                id: id, slug: try TenantSlug(slug), name: name, kind: tenantKind, sharing: sharingPolicy,
                createdAt: createdAt)
        }
    }
}
