import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ILCCore
import ILCStore
import Testing

@testable import ILCAPI

@Suite struct KeyGuessThrottleTests {
    /// Ten wrong secrets for one key lock it: 401 until then, 429 with Retry-After after,
    /// for the right secret too; the tenant's other keys are not affected.
    @Test func repeatedWrongSecretsLockTheKey() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant()
        let other = try await harness.key(for: tenant.id, scopes: [.read])
        let real = try #require(APIKeyToken(parsing: tenant.key))
        try await harness.test(keyCacheLifetime: .zero) { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<12 {
                let guess = APIKeyToken.generate(owner: real.owner)
                let wrong = APIKeyToken(owner: real.owner, keyID: real.keyID, secret: guess.secret).text
                try await client.execute(uri: "/v1/cycles", method: .get, headers: .bearer(wrong)) { response in
                    statuses.append(response.status)
                }
            }
            #expect(statuses == Array(repeating: .unauthorized, count: 9) + Array(repeating: .tooManyRequests, count: 3))
            try await client.execute(uri: "/v1/cycles", method: .get, headers: .bearer(tenant.key)) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 > 0)
                #expect(jsonField(response.body, "code") as? String == "key_locked")
            }
            try await client.execute(uri: "/v1/cycles", method: .get, headers: .bearer(other)) { response in
                #expect(response.status == .ok)
            }
        }
    }

    /// A revoked key had the right secret: using it again and again stays a 401.
    @Test func aRevokedKeyIsNoGuess() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant()
        let token = try #require(APIKeyToken(parsing: tenant.key))
        try await APIKeyStore(database: harness.database).revokeTenantKey(tenantID: tenant.id, keyID: token.keyID)
        try await harness.test(keyCacheLifetime: .zero) { client in
            for _ in 0..<12 {
                try await client.execute(uri: "/v1/cycles", method: .get, headers: .bearer(tenant.key)) { response in
                    #expect(response.status == .unauthorized)
                }
            }
        }
    }
}
