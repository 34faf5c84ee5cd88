import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ILCCore
import ILCStore
import Testing

@testable import ILCAPI

@Suite struct IdempotencyTests {
    private func cycleCount(_ client: any TestClientProtocol, key: String) async throws -> Int {
        try await client.execute(uri: "/v1/cycles?limit=200", method: .get, headers: .bearer(key)) { response in
            (try json(response.body)["data"] as? [Any])?.count ?? -1
        }
    }

    @Test func aRetryReplaysTheFirstAnswerAndMakesNoSecondEffect() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read, .collectivesWrite, .jobsWrite])
        let other = try await harness.tenant(scopes: [.read, .collectivesWrite])
        try await harness.test { client in
            let key = UUID().uuidString
            let body = ByteBuffer(string: #"{"name":"2026–27 statewide"}"#)
            let first = try await client.execute(
                uri: "/v1/cycles", method: .post, headers: jsonHeaders(tenant.key, [IdempotencyMiddleware.header: key]), body: body
            ) { response in
                #expect(response.status == .created)
                #expect(response.headers[IdempotencyMiddleware.replayedHeader] == nil)
                return (String(buffer: response.body), response.headers[.location])
            }
            try await client.execute(
                uri: "/v1/cycles", method: .post, headers: jsonHeaders(tenant.key, [IdempotencyMiddleware.header: key]), body: body
            ) { response in
                #expect(response.status == .created)
                #expect(response.headers[IdempotencyMiddleware.replayedHeader] == "true")
                #expect(String(buffer: response.body) == first.0)
                #expect(response.headers[.location] == first.1)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            }
            #expect(try await cycleCount(client, key: tenant.key) == 1)

            // Keys belong to their tenant: another tenant's same key is a request of its own.
            try await client.execute(
                uri: "/v1/cycles", method: .post, headers: jsonHeaders(other.key, [IdempotencyMiddleware.header: key]), body: body
            ) { response in
                #expect(response.status == .created)
                #expect(response.headers[IdempotencyMiddleware.replayedHeader] == nil)
                #expect(String(buffer: response.body) != first.0)
            }

            // The same key for something else is refused, and changes nothing.
            for (uri, other) in [("/v1/cycles", #"{"name":"another"}"#), ("/v1/reports", #"{"cycle_id":"\#(UUID())"}"#)] {
                try await client.execute(
                    uri: uri, method: .post, headers: jsonHeaders(tenant.key, [IdempotencyMiddleware.header: key]), body: ByteBuffer(string: other)
                ) { response in
                    #expect(response.status == .unprocessableContent, "\(uri)")
                    let problem = try json(response.body)
                    #expect(problem["code"] as? String == "idempotency_key_reused")
                }
            }
            #expect(try await cycleCount(client, key: tenant.key) == 1)

            for bad in ["", String(repeating: "k", count: 256), "has space"] {
                try await client.execute(
                    uri: "/v1/cycles", method: .post, headers: jsonHeaders(tenant.key, [IdempotencyMiddleware.header: bad]), body: body
                ) { response in
                    #expect(response.status == .badRequest, "'\(bad)'")
                }
            }
        }
    }

    @Test func concurrentRequestsWithOneKeyHaveOneEffect() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read, .collectivesWrite])
        try await harness.test { client in
            let key = UUID().uuidString
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        try await client.execute(
                            uri: "/v1/cycles", method: .post, headers: jsonHeaders(tenant.key, [IdempotencyMiddleware.header: key]),
                            body: ByteBuffer(string: #"{"name":"raced"}"#)
                        ) { $0.status }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .created || $0 == .conflict }, "\(statuses)")
            #expect(statuses.contains(.created))
            #expect(try await cycleCount(client, key: tenant.key) == 1)
        }
    }

    @Test func aQueuedJobIsDispatchedOnceItsAnswerIsKept() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read, .jobsWrite])
        let cycle = try await CycleStore(database: harness.database).create(
            tenantID: tenant.id, name: "pilot", startsOn: nil, endsOn: nil, settings: CycleSettings())
        try await harness.test { client in
            let key = UUID().uuidString
            var ids: [String] = []
            for _ in 0..<2 {
                try await client.execute(
                    uri: "/v1/reports", method: .post, headers: jsonHeaders(tenant.key, [IdempotencyMiddleware.header: key]),
                    body: ByteBuffer(string: #"{"kind":"cycle_summary","cycle_id":"\#(cycle.id.uuidString.lowercased())"}"#)
                ) { response in
                    #expect(response.status == .accepted)
                    ids.append(try #require(try json(response.body)["id"] as? String))
                }
            }
            #expect(ids.count == 2 && ids[0] == ids[1])
            // In Redis once (or already taken by an end-to-end test's report worker).
            let queue = try harness.queues.queue(for: "report-generation")
            let waiting = try await queue.waitingCount(tenants: [tenant.id])
            let id = try #require(UUID(uuidString: ids[0]))
            let state = try await queue.job(tenantID: tenant.id, id: id)?.state
            #expect(waiting == 1 || (waiting == 0 && state != .queued), "\(waiting) \(String(describing: state))")
        }
    }

    @Test func expiredKeysArePurgedAndThenFreeAgain() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read, .collectivesWrite])
        try await harness.test { client in
            let key = UUID().uuidString
            for expected in [HTTPResponse.Status.created, .created] {
                try await client.execute(
                    uri: "/v1/cycles", method: .post, headers: jsonHeaders(tenant.key, [IdempotencyMiddleware.header: key]),
                    body: ByteBuffer(string: #"{"name":"kept a day"}"#)
                ) { response in
                    #expect(response.status == expected)
                    #expect(response.headers[IdempotencyMiddleware.replayedHeader] == nil)
                }
                try await harness.database.withTenantTransaction(tenant.id) { transaction in
                    try await transaction.query(
                        "UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = \(key)")
                }
                // Another test's ilc-api may purge it first (every API process purges the
                // shared database): what counts is that it is gone.
                _ = try await IdempotencyStore(database: harness.database).purgeExpired()
                let left = try await harness.database.withTenantTransaction(tenant.id) { transaction in
                    try await transaction.query("SELECT count(*)::int FROM idempotency_keys WHERE key = \(key)")[0].decode(Int.self)
                }
                #expect(left == 0)
            }
            #expect(try await cycleCount(client, key: tenant.key) == 2)
        }
    }
}
