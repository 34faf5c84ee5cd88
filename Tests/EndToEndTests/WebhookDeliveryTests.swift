import Foundation
import ILCCore
import ILCQueue
import ILCRedis
import ILCStore
import ILCTestSupport
import ILCWebhooks
import Testing

/// A real `ilc-worker` on the `webhook-delivery` queue sending to receivers on
/// loopback (allowed by its flag): signed, retried after a failure, and a 410 turns the
/// endpoint off.
@Suite(.serialized) struct WebhookDeliveryTests {
    private func waitForDelivery(
        _ store: WebhookStore, tenant: UUID, endpoint: UUID, state: WebhookDelivery.State
    ) async throws -> WebhookDelivery? {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let delivery = try await store.deliveries(
                tenantID: tenant, endpointID: endpoint, state: state, before: nil, limit: 1)?.first {
                return delivery
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    @Test func aJobsEndReachesTheReceiverSignedRetriedAndA410DisablesItsEndpoint() async throws {
        let database = try await TestDatabase.sharedApp.value
        let redis = RedisClient(configuration: try RedisConfiguration.fromEnvironment())
        let queues = JobQueues(database: database, redis: redis, logger: TestDatabase.logger)
        let tenant = try await TestDatabase.makeTenant(database).id
        let store = WebhookStore(database: database)

        let flaky = try await WebhookReceiver.start { position in .init(status: position == 0 ? 500 : 200) }
        let gone = try await WebhookReceiver.start { _ in .init(status: 410) }
        let secret = WebhookSecret.random()
        let flakyEndpoint = try await store.create(
            tenantID: tenant, url: "http://127.0.0.1:\(flaky.port)/events", description: nil, eventTypes: [.jobCanceled],
            secret: secret.text)
        let goneEndpoint = try await store.create(
            tenantID: tenant, url: "http://localhost:\(gone.port)/old", description: nil, eventTypes: [.jobCanceled],
            secret: WebhookSecret.random().text)

        let worker = try WorkerProcess(
            id: "e2e-webhooks-\(UUID().uuidString.prefix(4))",
            arguments: [
                "--types", "webhook-delivery", "--webhook-allow-private-networks", "--maintenance-seconds", "1",
                "--metrics-port", "0",
            ])
        // A job no test worker runs, ended by a cancel through the tenant's own path.
        let job = try await queues.queue(for: "report").enqueue(JobRequest(type: "report"), tenantID: tenant)
        #expect(try await queues.cancel(tenantID: tenant, id: job.id) == .canceled)

        let requests = try await flaky.waitForRequests(2, timeout: .seconds(60))
        try #require(requests.count == 2, "\(worker.log)")
        // The same event both times, each attempt signed with its own timestamp.
        #expect(Set(requests.compactMap { $0.headers["webhook-id"] }).count == 1)
        for request in requests {
            let timestamp = try #require(request.headers["webhook-timestamp"].flatMap { Int($0) })
            #expect(WebhookSignature.verify(
                header: request.headers["webhook-signature"] ?? "", id: request.headers["webhook-id"] ?? "",
                timestamp: timestamp, body: request.body, secret: secret))
        }
        let event = try #require(try JSONSerialization.jsonObject(with: requests[0].body) as? [String: Any])
        #expect(event["type"] as? String == "job.canceled")
        #expect((event["data"] as? [String: Any])?["id"] as? String == job.id.uuidString.lowercased())

        let delivered = try #require(
            try await waitForDelivery(store, tenant: tenant, endpoint: flakyEndpoint.id, state: .delivered), "\(worker.log)")
        #expect(delivered.attemptLog.map(\.statusCode) == [500, 200])
        #expect(delivered.attempts == 2)
        let failed = try #require(try await waitForDelivery(store, tenant: tenant, endpoint: goneEndpoint.id, state: .failed))
        #expect(failed.attemptLog.map(\.statusCode) == [410])
        let disabled = try #require(try await store.find(tenantID: tenant, id: goneEndpoint.id))
        #expect(!disabled.enabled)
        #expect(gone.requests.count == 1)

        // The delivery jobs ended as their deliveries did.
        let deliveryJobs = try #require(delivered.jobID)
        #expect(try await queues.job(tenantID: tenant, id: deliveryJobs)?.state == .succeeded)
        if let goneJob = failed.jobID {
            let record = try await queues.job(tenantID: tenant, id: goneJob)
            #expect(record?.state == .failed)
            #expect(record?.attempts == 1)
        }

        worker.signal(SIGTERM)
        #expect(await worker.waitForExit() == 0, "\(worker.log)")
        await flaky.close()
        await gone.close()
        await redis.close()
    }
}
