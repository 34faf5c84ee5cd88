import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ILCCore
import ILCStore
import Testing

@testable import ILCAPI

@Suite struct AuthenticationThrottleTests {
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

    /// Unknown keys from one client (behind a trusted proxy, so named by X-Forwarded-For)
    /// lock that client — its /64 for IPv6 — out of key checks; keys it verified before
    /// keep working, other clients are not affected, and text that is no key is not counted.
    @Test func manyUnknownKeysFromOneClientLockTheClient() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant()
        let second = try await harness.key(for: tenant.id, scopes: [.read])
        let third = try await harness.key(for: tenant.id, scopes: [.read])
        // Documentation addresses with random /64s, so runs in one window never meet.
        func network() -> String { "2001:db8:\(String(UInt16.random(in: 1 ... .max), radix: 16)):\(String(UInt16.random(in: 1 ... .max), radix: 16))" }
        let guesser = network()
        let neighbour = network()
        @Sendable func from(_ client: String, _ key: String) -> HTTPFields {
            var headers = HTTPFields.bearer(key)
            headers[ClientAddressMiddleware.forwardedFor] = "\(client), 127.0.0.1"
            return headers
        }
        // The locked client's own key passes because it is still cached: a lifetime no
        // slow run outlasts (the default 10 s did, with the whole suite running).
        try await harness.test(
            keyCacheLifetime: .seconds(3600), authenticationLimits: AuthenticationLimits(perClient: 5),
            trustedProxies: TrustedProxies([IPAddressRange([127, 0, 0, 0], 8)]), setup: .live
        ) { client in
            func status(_ headers: HTTPFields) async throws -> HTTPResponse.Status {
                try await client.execute(uri: "/v1/cycles", method: .get, headers: headers) { $0.status }
            }
            #expect(try await status(from("\(guesser)::1", tenant.key)) == .ok)
            for _ in 0..<10 {
                #expect(try await status(from("\(guesser)::1", "not-a-key-\(UUID())")) == .unauthorized)
            }
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<6 {
                statuses.append(try await status(from("\(guesser)::1", APIKeyToken.generate(owner: .tenant(UUID())).text)))
            }
            #expect(statuses == Array(repeating: .unauthorized, count: 4) + [.tooManyRequests, .tooManyRequests])
            try await client.execute(uri: "/v1/cycles", method: .get, headers: from("\(guesser)::2", second)) { response in
                #expect(response.status == .tooManyRequests)
                #expect(jsonField(response.body, "code") as? String == "client_locked")
                #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 > 0)
            }
            #expect(try await status(from("\(guesser)::1", tenant.key)) == .ok)
            #expect(try await status(from("\(neighbour)::1", third)) == .ok)
        }
    }
}
