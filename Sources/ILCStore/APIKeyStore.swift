import Crypto
import Foundation
import ILCCore
import PostgresNIO

/// Issues, lists, revokes and verifies API keys.
public struct APIKeyStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func createTenantKey(
        tenantID: UUID, name: String, scopes: Set<APIScope>, expiresAt: Date? = nil
    ) async throws -> IssuedAPIKey {
        try Self.validate(name: name, scopes: scopes, expiresAt: expiresAt)
        let token = APIKeyToken.generate(owner: .tenant(tenantID))
        let scopeNames = scopes.sorted().map(\.rawValue)
        let hash = Self.hash(token.text)
        let key = try await database.withTenantTransaction(tenantID) { transaction in
            let rows = try await transaction.query(
                """
                INSERT INTO api_keys (tenant_id, id, name, secret_hash, scopes, expires_at)
                VALUES (\(tenantID), \(token.keyID), \(name), \(hash), \(scopeNames), \(expiresAt))
                RETURNING \(unescaped: Self.columns)
                """)
            return try Self.decode(rows, tenantID: tenantID)[0]
        }
        return IssuedAPIKey(key: key, token: token.text)
    }

    public func createOperatorKey(name: String, expiresAt: Date? = nil) async throws -> IssuedAPIKey {
        try Self.validate(name: name, scopes: [.admin], expiresAt: expiresAt)
        let token = APIKeyToken.generate(owner: .operatorScope)
        let hash = Self.hash(token.text)
        let key = try await database.withOperatorTransaction { transaction in
            let rows = try await transaction.query(
                """
                INSERT INTO operator_keys (id, name, secret_hash, expires_at)
                VALUES (\(token.keyID), \(name), \(hash), \(expiresAt))
                RETURNING id, name, ARRAY['admin']::text[], created_at, expires_at, revoked_at, last_used_at
                """)
            return try Self.decode(rows, tenantID: nil)[0]
        }
        return IssuedAPIKey(key: key, token: token.text)
    }

    public func list(tenantID: UUID) async throws -> [APIKey] {
        try await database.withTenantTransaction(tenantID) { transaction in
            try Self.decode(
                try await transaction.query("SELECT \(unescaped: Self.columns) FROM api_keys ORDER BY created_at, id"),
                tenantID: tenantID)
        }
    }

    /// Revokes a key from now on. Revoking twice keeps the first time.
    public func revokeTenantKey(tenantID: UUID, keyID: UUID) async throws {
        let changed = try await database.withTenantTransaction(tenantID) { transaction in
            try await transaction.execute(
                "UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = \(keyID)")
        }
        guard changed == 1 else {
            throw StoreError.notFound("no API key \(keyID) for this tenant")
        }
    }

    public func revokeOperatorKey(keyID: UUID) async throws {
        let changed = try await database.withOperatorTransaction { transaction in
            try await transaction.execute(
                "UPDATE operator_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = \(keyID)")
        }
        guard changed == 1 else {
            throw StoreError.notFound("no operator key \(keyID)")
        }
    }

    /// Verifies presented token text: the stored hash is compared in constant time,
    /// then revocation and expiry are checked against the database clock. Records
    /// the use at most once a minute per key, so verification is not a write per request.
    public func authenticate(_ presented: String) async throws -> APIPrincipal {
        guard let token = APIKeyToken(parsing: presented) else {
            throw AuthenticationError.malformed
        }
        let presentedHash = Self.hash(presented)
        switch token.owner {
        case .tenant(let tenantID):
            return try await database.withTenantTransaction(tenantID) { transaction in
                let (scopes, rateLimit) = try await verify(
                    transaction, table: "api_keys", keyID: token.keyID, presentedHash: presentedHash)
                return APIPrincipal(subject: .tenant(tenantID), keyID: token.keyID, scopes: scopes, rateLimit: rateLimit)
            }
        case .operatorScope:
            return try await database.withOperatorTransaction { transaction in
                _ = try await verify(
                    transaction, table: "operator_keys", keyID: token.keyID, presentedHash: presentedHash)
                return APIPrincipal(subject: .operatorScope, keyID: token.keyID, scopes: [.admin])
            }
        }
    }

    private func verify(
        _ transaction: Transaction, table: String, keyID: UUID, presentedHash: Data
    ) async throws -> (scopes: Set<APIScope>, rateLimit: Int?) {
        let tenantKey = table == "api_keys"
        let scopeColumn = tenantKey ? "scopes" : "ARRAY['admin']::text[]"
        // The tenant's own rate limit comes with the key, saving the limiter a query.
        let rateLimitColumn = tenantKey ? "(SELECT rate_limit FROM tenants WHERE id = ilc_current_tenant())" : "NULL::integer"
        let rows = try await transaction.query(
            """
            SELECT secret_hash, \(unescaped: scopeColumn), revoked_at IS NOT NULL,
                   expires_at IS NOT NULL AND expires_at <= now(), \(unescaped: rateLimitColumn)
            FROM \(unescaped: table) WHERE id = \(keyID)
            """)
        guard let row = rows.first else {
            throw AuthenticationError.unknownKey
        }
        let (storedHash, scopeNames, revoked, expired, rateLimit) = try row.decode((Data, [String], Bool, Bool, Int?).self)
        guard ConstantTime.equals(storedHash, presentedHash) else {
            throw AuthenticationError.wrongSecret
        }
        if revoked { throw AuthenticationError.revoked }
        if expired { throw AuthenticationError.expired }
        try await transaction.execute(
            """
            UPDATE \(unescaped: table) SET last_used_at = now()
            WHERE id = \(keyID) AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
            """)
        return (Set(scopeNames.compactMap(APIScope.init(rawValue:))), rateLimit)
    }

    /// SHA-256 of a presented key: what is stored, and what a cache may key on.
    public static func hash(_ token: String) -> Data {
        Data(SHA256.hash(data: Data(token.utf8)))
    }

    static func validate(name: String, scopes: Set<APIScope>, expiresAt: Date?) throws(ValidationError) {
        guard (1...200).contains(name.count) else {
            throw ValidationError(field: "name", message: "must be 1–200 characters")
        }
        guard !scopes.isEmpty else {
            throw ValidationError(field: "scopes", message: "at least one scope is required")
        }
        if let expiresAt, expiresAt <= Date() {
            throw ValidationError(field: "expires", message: "must be in the future")
        }
    }

    static let columns = "id, name, scopes, created_at, expires_at, revoked_at, last_used_at"

    static func decode(_ rows: [PostgresRow], tenantID: UUID?) throws -> [APIKey] {
        try rows.map { row in
            let (id, name, scopeNames, createdAt, expiresAt, revokedAt, lastUsedAt) = try row.decode(
                (UUID, String, [String], Date, Date?, Date?, Date?).self)
            let scopes = Set(scopeNames.compactMap(APIScope.init(rawValue:)))
            guard scopes.count == scopeNames.count else {
                throw StoreError.corrupt("API key \(id) has unknown scopes \(scopeNames)")
            }
            return APIKey(
                tenantID: tenantID, id: id, name: name, scopes: scopes, createdAt: createdAt, expiresAt: expiresAt,
                revokedAt: revokedAt, lastUsedAt: lastUsedAt)
        }
    }
}
