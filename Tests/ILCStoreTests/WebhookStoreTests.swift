import Foundation
import ILCCore
import ILCTestSupport
import Testing

@testable import ILCStore

@Suite struct WebhookStoreTests {
    private func makeJob(_ tenantID: UUID, type: String = "theme-detection", in database: Database) async throws -> UUID {
        let id = TimeOrderedID.make()
        try await database.withTenantTransaction(tenantID) { transaction in
            try await transaction.execute("INSERT INTO jobs (tenant_id, id, queue, type) VALUES (\(tenantID), \(id), \(type), \(type))")
        }
        return id
    }

    /// Ends a job as a worker does (in queue scope, across tenants). Without
    /// `keepingDeliveryJobs`, the delivery jobs it makes are dropped before they commit,
    /// so a webhook worker of another test cannot send them meanwhile.
    private func end(
        _ jobID: UUID, of tenantID: UUID, as state: String, keepingDeliveryJobs: Bool = true, in database: Database
    ) async throws {
        try await database.withQueueTransaction { transaction in
            try await transaction.execute(
                "UPDATE jobs SET state = \(state), finished_at = now() WHERE tenant_id = \(tenantID) AND id = \(jobID)")
            if !keepingDeliveryJobs {
                try await transaction.execute(
                    "DELETE FROM jobs WHERE tenant_id = \(tenantID) AND queue = 'webhook-delivery'")
            }
        }
    }

    private func deliveryJobs(_ tenantID: UUID, in database: Database) async throws -> [(UUID, String)] {
        try await database.withTenantTransaction(tenantID) { transaction in
            try await transaction.query(
                "SELECT id, payload->>'delivery_id' FROM jobs WHERE queue = 'webhook-delivery' ORDER BY id"
            ).map { try $0.decode((UUID, String).self) }
        }
    }

    @Test func aJobEndingMakesOneDeliveryAndJobPerSubscribedEndpoint() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database)
            let store = WebhookStore(database: database)
            let all = try await store.create(
                tenantID: tenant.id, url: "https://a.example/hooks", description: "warehouse",
                eventTypes: WebhookEventType.allCases, secret: "whsec_x")
            let failuresOnly = try await store.create(
                tenantID: tenant.id, url: "https://b.example/hooks", description: nil, eventTypes: [.jobFailed], secret: "whsec_y")

            let succeeded = try await makeJob(tenant.id, in: database)
            try await end(succeeded, of: tenant.id, as: "succeeded", in: database)
            let toAll = try #require(try await store.deliveries(
                tenantID: tenant.id, endpointID: all.id, state: nil, before: nil, limit: 10))
            #expect(toAll.count == 1)
            #expect(try await store.deliveries(
                tenantID: tenant.id, endpointID: failuresOnly.id, state: nil, before: nil, limit: 10)?.isEmpty == true)
            let delivery = try #require(toAll.first)
            #expect(delivery.eventType == "job.succeeded")
            #expect(delivery.state == .pending)
            let payload = try #require(
                try JSONSerialization.jsonObject(with: Data(delivery.payload.utf8)) as? [String: Any])
            #expect(payload["type"] as? String == "job.succeeded")
            let data = try #require(payload["data"] as? [String: Any])
            #expect(data["id"] as? String == succeeded.uuidString.lowercased())
            #expect(data["state"] as? String == "succeeded")
            #expect((data["links"] as? [String: String])?["self"] == "/v1/jobs/\(succeeded.uuidString.lowercased())")

            let jobs = try await deliveryJobs(tenant.id, in: database)
            #expect(jobs.count == 1)
            #expect(jobs.first?.0 == delivery.jobID)
            #expect(jobs.first?.1 == delivery.id.uuidString.lowercased())

            // A failure reaches both endpoints; a cancel through the API (tenant scope) reaches the first.
            let failed = try await makeJob(tenant.id, in: database)
            try await end(failed, of: tenant.id, as: "failed", in: database)
            let canceled = try await makeJob(tenant.id, in: database)
            try await database.withTenantTransaction(tenant.id) { transaction in
                try await transaction.execute(
                    "UPDATE jobs SET state = 'canceled', finished_at = now() WHERE id = \(canceled)")
            }
            let types = try #require(try await store.deliveries(
                tenantID: tenant.id, endpointID: all.id, state: .pending, before: nil, limit: 10)).map(\.eventType)
            #expect(types == ["job.canceled", "job.failed", "job.succeeded"])
            #expect(try await deliveryJobs(tenant.id, in: database).count == 4)

            // Deliveries' own jobs ending emit nothing (no event storms), nor do other updates.
            for (job, _) in try await deliveryJobs(tenant.id, in: database) {
                try await end(job, of: tenant.id, as: "failed", in: database)
            }
            try await database.withQueueTransaction { transaction in
                try await transaction.execute("UPDATE jobs SET progress_percent = 50 WHERE tenant_id = \(tenant.id)")
            }
            #expect(try await deliveryJobs(tenant.id, in: database).count == 4)
        }
    }

    @Test func disabledEndpointsAndOtherTenantsGetNothing() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database)
            let other = try await TestDatabase.makeTenant(database)
            let store = WebhookStore(database: database)
            let endpoint = try await store.create(
                tenantID: tenant.id, url: "https://a.example/hooks", description: nil, eventTypes: [.jobSucceeded],
                secret: "whsec_x")
            _ = try await store.update(tenantID: tenant.id, id: endpoint.id, changes: .init(enabled: false))
            try await end(try await makeJob(tenant.id, in: database), of: tenant.id, as: "succeeded", in: database)
            try await end(try await makeJob(other.id, in: database), of: other.id, as: "succeeded", in: database)
            #expect(try await store.deliveries(
                tenantID: tenant.id, endpointID: endpoint.id, state: nil, before: nil, limit: 10)?.isEmpty == true)
            #expect(try await deliveryJobs(tenant.id, in: database).isEmpty)
            #expect(try await deliveryJobs(other.id, in: database).isEmpty)
            // The other tenant cannot see or touch the endpoint.
            #expect(try await store.find(tenantID: other.id, id: endpoint.id) == nil)
            #expect(try await store.deliveries(tenantID: other.id, endpointID: endpoint.id, state: nil, before: nil, limit: 10) == nil)
            #expect(try await store.delete(tenantID: other.id, id: endpoint.id) == false)
        }
    }

    @Test func attemptsAreLoggedAndGoneTurnsTheEndpointOff() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database)
            let store = WebhookStore(database: database)
            let endpoint = try await store.create(
                tenantID: tenant.id, url: "https://a.example/hooks", description: nil, eventTypes: [.jobSucceeded],
                secret: "whsec_x")
            try await end(
                try await makeJob(tenant.id, in: database), of: tenant.id, as: "succeeded", keepingDeliveryJobs: false,
                in: database)
            let delivery = try #require(try await store.deliveries(
                tenantID: tenant.id, endpointID: endpoint.id, state: nil, before: nil, limit: 1)?.first)
            let send = try #require(try await store.toSend(tenantID: tenant.id, deliveryID: delivery.id))
            #expect(send.url == "https://a.example/hooks" && send.secret == "whsec_x" && send.attempts == 0)

            try await store.record(
                tenantID: tenant.id, deliveryID: delivery.id,
                attempt: WebhookAttempt(
                    attempt: 1, startedAt: Date(), durationMilliseconds: 40, statusCode: 500, error: nil, responseExcerpt: "oops"),
                verdict: .retry(after: .seconds(30)))
            let retrying = try #require(try await store.deliveries(
                tenantID: tenant.id, endpointID: endpoint.id, state: .pending, before: nil, limit: 1)?.first)
            #expect(retrying.attempts == 1 && retrying.lastStatus == 500)
            #expect(retrying.nextAttemptAt.map { $0.timeIntervalSinceNow > 20 } == true)
            #expect(retrying.attemptLog.map(\.responseExcerpt) == ["oops"])

            try await store.record(
                tenantID: tenant.id, deliveryID: delivery.id,
                attempt: WebhookAttempt(
                    attempt: 2, startedAt: Date(), durationMilliseconds: 8, statusCode: 410, error: nil, responseExcerpt: nil),
                verdict: .gone)
            let failed = try #require(try await store.deliveries(
                tenantID: tenant.id, endpointID: endpoint.id, state: .failed, before: nil, limit: 1)?.first)
            #expect(failed.attemptLog.map(\.statusCode) == [500, 410])
            #expect(failed.nextAttemptAt == nil)
            let off = try #require(try await store.find(tenantID: tenant.id, id: endpoint.id))
            #expect(!off.enabled)
            #expect(off.disabledReason?.contains("410 Gone") == true)

            let on = try #require(try await store.update(tenantID: tenant.id, id: endpoint.id, changes: .init(enabled: true)))
            #expect(on.enabled && on.disabledReason == nil)
        }
    }

    @Test func aTenantHasAtMostTwentyEndpoints() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database)
            let store = WebhookStore(database: database)
            for index in 0..<WebhookStore.endpointLimit {
                _ = try await store.create(
                    tenantID: tenant.id, url: "https://a.example/\(index)", description: nil, eventTypes: [.jobFailed],
                    secret: "whsec_x")
            }
            await #expect(throws: WebhookStore.Refusal.tooManyEndpoints(limit: 20)) {
                try await store.create(
                    tenantID: tenant.id, url: "https://a.example/more", description: nil, eventTypes: [.jobFailed],
                    secret: "whsec_x")
            }
        }
    }
}
