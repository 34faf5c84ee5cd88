import Foundation
import ILCCore
import ILCTestSupport

/// The kill scenario over `webhook-delivery`: a worker killed before it sent an event,
/// and one killed after the receiver accepted it and the delivery was recorded, before
/// the job's outcome was written. Either way the rerun must leave the delivery
/// delivered, and the receiver must have seen the event once: the second worker sends
/// what the first never did, and does not send again what the first delivered.
enum VerifyWebhookFaults {
    static let scenarios: [VerifyScenario] = [
        VerifyScenario("fault", "worker SIGKILL before/after its write: webhooks") { lab, _ in
            let tenant = try await VerifyTenant.create(lab, name: "kill-webhooks")
            // The verifier's own receiver, on loopback (the lab's workers may reach it).
            let receiver = try await WebhookReceiver.start()
            do {
                let endpoint = try await tenant.createWebhookEndpoint(to: receiver, for: [.jobCanceled])
                var figures: [String] = []
                for moment in ["before-run", "after-run"] {
                    figures.append(try await killedMidDelivery(tenant, endpoint: endpoint, receiver: receiver, moment: moment))
                }
                await receiver.close()
                return figures.joined(separator: "; ")
            } catch {
                await receiver.close()
                throw error
            }
        }
    ]

    private struct Delivery: Sendable {
        let job: UUID
        let eventID: String
        let state: String
        let attempts: Int
    }

    /// Ends a job (a report job nobody runs here, canceled), which makes a delivery to
    /// `endpoint`; kills the worker sending it at `moment`; checks the outcome.
    private static func killedMidDelivery(
        _ tenant: VerifyTenant, endpoint: UUID, receiver: WebhookReceiver, moment: String
    ) async throws -> String {
        var event = ""
        let (job, recovery) = try await tenant.killedAtFaultPoint(type: "webhook-delivery", moment: moment) {
            let canceled = try await tenant.startReport(deadline: .now + .seconds(30)).job
            let path = "/v1/jobs/\(canceled.uuidString.lowercased())/cancel"
            let (answer, _, _) = try await tenant.client.write("POST", path, json: [String: Any](), deadline: .now + .seconds(30))
            guard answer.status == 202, answer.json["state"] as? String == "canceled" else {
                throw VerifyFailure("canceling a queued job answered \(answer.status): \(answer.text)")
            }
            // The job's end and its deliveries commit together.
            guard let delivery = try await deliveries(tenant, endpoint: endpoint, ofJob: canceled).first else {
                throw VerifyFailure("the canceled job made no delivery")
            }
            event = delivery.eventID
            return delivery.job
        } reached: { job in
            guard let delivery = try await deliveries(tenant, endpoint: endpoint, deliveryJob: job).first else { return false }
            return moment == "before-run" ? delivery.attempts == 0 : delivery.state == "delivered"
        }
        let delivery = try await deliveries(tenant, endpoint: endpoint, deliveryJob: job).first
        guard delivery?.state == "delivered", delivery?.attempts == 1 else {
            throw VerifyFailure(
                "the delivery is \(delivery?.state ?? "missing") after \(delivery?.attempts ?? 0) sends; expected delivered after 1")
        }
        let received = receiver.requests.filter { $0.headers["webhook-id"] == event }.count
        guard received == 1 else { throw VerifyFailure("the receiver got event \(event) \(received) times") }
        return String(format: "%@: delivered once, %.1f s after the kill", moment, recovery)
    }

    /// The deliveries to `endpoint` of the event a job's end made (`ofJob`), or the one a
    /// delivery job sends (`deliveryJob`).
    private static func deliveries(
        _ tenant: VerifyTenant, endpoint: UUID, ofJob ended: UUID? = nil, deliveryJob: UUID? = nil
    ) async throws -> [Delivery] {
        try await tenant.rows(
            """
            SELECT job_id, event_id, state, attempts::int8 FROM webhook_deliveries
            WHERE endpoint_id = \(endpoint)
                AND (\(ended)::uuid IS NULL OR payload -> 'data' ->> 'id' = \(ended?.uuidString.lowercased())::text)
                AND (\(deliveryJob)::uuid IS NULL OR job_id = \(deliveryJob))
            """
        ) { row in
            let (job, event, state, attempts) = try row.decode((UUID, String, String, Int).self)
            return Delivery(job: job, eventID: event, state: state, attempts: attempts)
        }
    }
}
