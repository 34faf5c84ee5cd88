import ILCTestSupport
import Foundation
import ILCCore
import Testing

@testable import ILCStore

@Suite struct APIKeyStoreTests {
    @Test func aKeyVerifiesByItsHashAndCarriesItsScopes() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database)
            let keys = APIKeyStore(database: database)
            let issued = try await keys.createTenantKey(tenantID: tenant.id, name: "warehouse", scopes: [.read, .jobsWrite])

            let principal = try await keys.authenticate(issued.token)
            #expect(principal.subject == .tenant(tenant.id))
            #expect(principal.keyID == issued.key.id)
            #expect(principal.scopes == [.read, .jobsWrite])
            #expect(principal.allows(.read))
            #expect(!principal.allows(.evidenceWrite))

            // Only the SHA-256 is stored, never the token or its secret.
            let stored = try await database.withTenantTransaction(tenant.id) { transaction in
                try await transaction.query("SELECT secret_hash FROM api_keys WHERE id = \(issued.key.id)")[0].decode(Data.self)
            }
            #expect(stored == APIKeyStore.hash(issued.token))
            #expect(stored.count == 32)
        }
    }

    @Test func useIsRecorded() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database)
            let keys = APIKeyStore(database: database)
            let issued = try await keys.createTenantKey(tenantID: tenant.id, name: "lms", scopes: [.read])
            #expect(try await keys.list(tenantID: tenant.id).first?.lastUsedAt == nil)
            _ = try await keys.authenticate(issued.token)
            #expect(try await keys.list(tenantID: tenant.id).first?.lastUsedAt != nil)
        }
    }

    @Test func aRevokedKeyFails() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database)
            let keys = APIKeyStore(database: database)
            let issued = try await keys.createTenantKey(tenantID: tenant.id, name: "old", scopes: [.read])
            try await keys.revokeTenantKey(tenantID: tenant.id, keyID: issued.key.id)
            await #expect(throws: AuthenticationError.revoked) { try await keys.authenticate(issued.token) }
        }
    }

    @Test func anExpiredKeyFails() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database)
            let keys = APIKeyStore(database: database)
            let issued = try await keys.createTenantKey(
                tenantID: tenant.id, name: "short", scopes: [.read], expiresAt: Date().addingTimeInterval(3600))
            _ = try await keys.authenticate(issued.token)
            try await database.withTenantTransaction(tenant.id) { transaction in
                try await transaction.execute(
                    "UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = \(issued.key.id)")
            }
            await #expect(throws: AuthenticationError.expired) { try await keys.authenticate(issued.token) }
        }
    }

    @Test func aWrongSecretOrUnknownKeyFails() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database)
            let keys = APIKeyStore(database: database)
            let issued = try await keys.createTenantKey(tenantID: tenant.id, name: "k", scopes: [.read])
            let real = try #require(APIKeyToken(parsing: issued.token))

            var secret = real.secret
            secret[0] ^= 0xFF
            let forged = APIKeyToken(owner: real.owner, keyID: real.keyID, secret: secret)
            await #expect(throws: AuthenticationError.wrongSecret) { try await keys.authenticate(forged.text) }

            let unknown = APIKeyToken.generate(owner: .tenant(tenant.id))
            await #expect(throws: AuthenticationError.unknownKey) { try await keys.authenticate(unknown.text) }
            await #expect(throws: AuthenticationError.malformed) { try await keys.authenticate("Bearer nonsense") }
        }
    }

    @Test func anotherTenantsKeyCannotBeUsedUnderThisTenant() async throws {
        try await TestDatabase.withApp { database in
            let tenantA = try await TestDatabase.makeTenant(database)
            let tenantB = try await TestDatabase.makeTenant(database)
            let keys = APIKeyStore(database: database)
            let keyOfB = try await keys.createTenantKey(tenantID: tenantB.id, name: "b", scopes: [.admin])
            let tokenOfB = try #require(APIKeyToken(parsing: keyOfB.token))

            // B's real key id and secret, presented as if it were A's: A's scope cannot see it.
            let relabelled = APIKeyToken(owner: .tenant(tenantA.id), keyID: tokenOfB.keyID, secret: tokenOfB.secret)
            await #expect(throws: AuthenticationError.unknownKey) { try await keys.authenticate(relabelled.text) }
            // Nor can A list or revoke it.
            #expect(try await keys.list(tenantID: tenantA.id).isEmpty)
            await #expect(throws: StoreError.self) {
                try await keys.revokeTenantKey(tenantID: tenantA.id, keyID: keyOfB.key.id)
            }
            #expect(try await keys.authenticate(keyOfB.token).subject == .tenant(tenantB.id))
        }
    }

    @Test func operatorKeysVerifyAndRevoke() async throws {
        try await TestDatabase.withApp { database in
            let keys = APIKeyStore(database: database)
            let issued = try await keys.createOperatorKey(name: "ops on call")
            let principal = try await keys.authenticate(issued.token)
            #expect(principal.subject == .operatorScope)
            #expect(principal.allows(.admin))
            try await keys.revokeOperatorKey(keyID: issued.key.id)
            await #expect(throws: AuthenticationError.revoked) { try await keys.authenticate(issued.token) }
        }
    }

    @Test func creationValidatesItsInput() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database)
            let keys = APIKeyStore(database: database)
            await #expect(throws: ValidationError(field: "scopes", message: "at least one scope is required")) {
                _ = try await keys.createTenantKey(tenantID: tenant.id, name: "none", scopes: [])
            }
            await #expect(throws: ValidationError(field: "expires", message: "must be in the future")) {
                _ = try await keys.createTenantKey(
                    tenantID: tenant.id, name: "past", scopes: [.read], expiresAt: Date().addingTimeInterval(-60))
            }
        }
    }
}
