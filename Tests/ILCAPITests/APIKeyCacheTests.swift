import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ILCCore
import ILCStore
import Testing

@testable import ILCAPI

@Suite struct APIKeyCacheTests {
    private func issue(_ harness: APIHarness, tenant: UUID) async throws -> IssuedAPIKey {
        try await APIKeyStore(database: harness.database).createTenantKey(tenantID: tenant, name: "cached", scopes: [.read])
    }

    @Test func aRevokedKeyIsRefusedOnceItsCacheEntryExpires() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant()
        let issued = try await issue(harness, tenant: tenant.id)
        let lifetime = Duration.seconds(5)
        try await harness.test(keyCacheLifetime: lifetime) { client in
            // The entry is made between these two instants, so it lasts at least until
            // `asked + lifetime` and at most until `cached + lifetime`.
            let asked = ContinuousClock.now
            let cached = try await client.execute(uri: "/v1/jobs", method: .get, headers: .bearer(issued.token)) { response in
                #expect(response.status == .ok)
                return ContinuousClock.now
            }
            try await APIKeyStore(database: harness.database).revokeTenantKey(tenantID: tenant.id, keyID: issued.key.id)
            // Kept for its lifetime: no lookup per request… (unless a loaded machine took longer)
            try await client.execute(uri: "/v1/jobs", method: .get, headers: .bearer(issued.token)) { response in
                if asked.duration(to: .now) < lifetime { #expect(response.status == .ok) }
            }
            try await Task.sleep(until: cached + lifetime + .milliseconds(100))
            // …then looked up again, and refused.
            try await client.execute(uri: "/v1/jobs", method: .get, headers: .bearer(issued.token)) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func withoutACacheARevocationCountsAtOnceAndAWrongSecretIsNeverAHit() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant()
        let issued = try await issue(harness, tenant: tenant.id)
        try await harness.test { client in
            try await client.execute(uri: "/v1/jobs", method: .get, headers: .bearer(issued.token)) { response in
                #expect(response.status == .ok)
            }
            // Same key id, another secret: not the cached entry.
            var forged = issued.token
            let last = forged.removeLast()
            forged.append(last == "A" ? "B" : "A")
            try await client.execute(uri: "/v1/jobs", method: .get, headers: .bearer(forged)) { response in
                #expect(response.status == .unauthorized)
            }
        }
        let uncached = try await issue(harness, tenant: tenant.id)
        try await harness.test(keyCacheLifetime: .zero) { client in
            try await client.execute(uri: "/v1/jobs", method: .get, headers: .bearer(uncached.token)) { response in
                #expect(response.status == .ok)
            }
            try await APIKeyStore(database: harness.database).revokeTenantKey(tenantID: tenant.id, keyID: uncached.key.id)
            try await client.execute(uri: "/v1/jobs", method: .get, headers: .bearer(uncached.token)) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }
}
