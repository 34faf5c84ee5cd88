import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ILCCore
import ILCTestSupport
import ILCStore
import ILCRedis
import Testing

@testable import ILCAPI

/// What holds for every operation: methods, body rules, problem documents.
@Suite struct ConventionsTests {
    @Test func aMethodAPathDoesNotTakeIs405WithAllow() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant()
        try await harness.test { client in
            for (uri, method, allow) in [
                ("/v1/jobs", HTTPRequest.Method.delete, "GET, HEAD"), ("/v1/cycles", .put, "GET, POST, HEAD"),
                ("/v1/jobs/\(UUID())/cancel", .get, "POST"), ("/v1/reports", .trace, "POST, GET, HEAD"),
            ] {
                try await client.execute(uri: uri, method: method, headers: .bearer(tenant.key)) { response in
                    #expect(response.status == .methodNotAllowed, "\(method) \(uri)")
                    #expect(response.headers[.allow] == allow, "\(method) \(uri)")
                    let problem = try json(response.body)
                    #expect(problem["code"] as? String == "method_not_allowed")
                }
            }
            try await client.execute(uri: "/v1/nothing-here", method: .get, headers: .bearer(tenant.key)) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func nullsAreRefusedWithTheirPointerAndOversizedBodiesAre413() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read, .collectivesWrite])
        var jsonHeaders = HTTPFields.bearer(tenant.key)
        jsonHeaders[.contentType] = "application/json"
        let headers = jsonHeaders
        try await harness.test(bodyLimit: 1_000) { client in
            try await client.execute(
                uri: "/v1/cycles", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"name": "pilot", "settings": {"theme_catalog": ["a", null]}}"#)
            ) { response in
                #expect(response.status == .badRequest)
                let problem = try json(response.body)
                #expect((problem["errors"] as? [[String: String]])?.first?["pointer"] == "/settings/theme_catalog/1")
            }
            try await client.execute(
                uri: "/v1/cycles", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"name": "\#(String(repeating: "x", count: 2_000))"}"#)
            ) { response in
                #expect(response.status == .contentTooLarge)
                let problem = try json(response.body)
                #expect(problem["code"] as? String == "body_too_large")
            }
            try await client.execute(uri: "/v1/cycles", method: .get, headers: .bearer(tenant.key)) { response in
                let page = try json(response.body)
                #expect((page["data"] as? [Any])?.isEmpty == true)
            }
            try await client.execute(uri: "/v1/jobs?type=Not%20A%20Type", method: .get, headers: .bearer(tenant.key)) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func aTenantOverItsRateLimitGets429WithRetryAfterAndOthersDoNot() async throws {
        let harness = try await APIHarness.make()
        let busy = try await harness.tenant()
        let quiet = try await harness.tenant()
        // A window far longer than the test, so a slow machine cannot straddle it.
        try await harness.test(rateLimit: 3, rateWindow: .seconds(120)) { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<10 {
                try await client.execute(uri: "/v1/jobs", method: .get, headers: .bearer(busy.key)) { response in
                    statuses.append(response.status)
                    if response.status == .tooManyRequests {
                        #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 >= 1)
                        let problem = try json(response.body)
                        #expect(problem["code"] as? String == "rate_limited")
                    }
                }
            }
            #expect(statuses.filter { $0 == .ok }.count == 3)
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 7)
            try await client.execute(uri: "/v1/jobs", method: .get, headers: .bearer(quiet.key)) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func withoutRedisTheRateLimitLetsRequestsThrough() async throws {
        let shared = try await APIHarness.make()
        let tenant = try await shared.tenant()
        // Nothing listens there: every rate-limit call fails, quickly.
        let port = try await FreePort.next()
        let unreachable = RedisClient(
            configuration: try RedisConfiguration(
                url: "redis://127.0.0.1:\(port)/0?connect_timeout_ms=200&reconnect_timeout_ms=300&command_timeout_ms=500"))
        let harness = APIHarness(database: shared.database, redis: unreachable, queues: shared.queues)
        try await harness.test(rateLimit: 1, rateWindow: .seconds(120)) { client in
            for _ in 0..<2 {
                try await client.execute(uri: "/v1/jobs", method: .get, headers: .bearer(tenant.key)) { response in
                    #expect(response.status == .ok)
                }
            }
            // Still in service: work is accepted and waits in PostgreSQL for Redis.
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("redis: unavailable"))
            }
        }
        await unreachable.close()
    }

    @Test func operatorKeysCannotActForATenant() async throws {
        let harness = try await APIHarness.make()
        let operatorKey = try await APIKeyStore(database: harness.database).createOperatorKey(name: "on-call").token
        try await harness.test { client in
            try await client.execute(uri: "/v1/jobs", method: .get, headers: .bearer(operatorKey)) { response in
                #expect(response.status == .forbidden)
                let problem = try json(response.body)
                #expect(problem["code"] as? String == "tenant_key_required")
            }
        }
    }
}
