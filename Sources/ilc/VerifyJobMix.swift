import Foundation
import ILCCore
import ILCTestSupport

/// Every job type in a fault scenario's traffic, not just reports: theme detection and
/// group formation over a cycle of answers on three topics, knowledge sharing over a
/// cycle of collectives with placemats and evidence, and a webhook for every job that
/// succeeds, sent to the verifier's own receiver. Afterwards each type's effect must be
/// there once: one run's themes, collectives and suggestions (reruns replace), and one
/// delivered event per job that the receiver saw.
struct VerifyJobMix: Sendable {
    /// The jobs a partner starts, in turn.
    static let rotation = [
        "report-generation", "theme-detection", "report-generation", "group-formation", "report-generation", "knowledge-sharing",
    ]

    private let analysisCycle: UUID
    private let answers: Int
    private let sharingCycle: UUID
    private let endpoint: UUID
    private let receiver: WebhookReceiver

    /// Prepares the cycles (with workers running: group formation needs themes detected
    /// once) and the webhook endpoint; `close()` it afterwards.
    static func prepare(_ tenant: VerifyTenant) async throws -> VerifyJobMix {
        let receiver = try await WebhookReceiver.start()
        do {
            let endpoint = try await tenant.createWebhookEndpoint(to: receiver, for: [.jobSucceeded])
            let analysisCycle = try await tenant.createCycle("Verify analysis")
            let answers = try await tenant.submitAnalysisAnswers(to: analysisCycle)
            let sharingCycle = try await tenant.createCycle("Verify sharing")
            try await tenant.createCollectives(in: sharingCycle, count: 6)
            try await tenant.recordInquiry(in: sharingCycle)
            let mix = VerifyJobMix(
                analysisCycle: analysisCycle, answers: answers, sharingCycle: sharingCycle, endpoint: endpoint, receiver: receiver)
            let detection = try await mix.start("theme-detection", tenant, deadline: .now + .seconds(30)).job
            try await tenant.waitUntilEnded([detection], timeout: .seconds(60))
            guard try await tenant.jobStates([detection])[detection]?.state == "succeeded" else {
                throw VerifyFailure("the first theme detection did not succeed: \(try await tenant.result(of: detection))")
            }
            return mix
        } catch {
            await receiver.close()
            throw error
        }
    }

    func close() async {
        await receiver.close()
    }

    /// Starts a job of `type` as a partner would; answers its id and the 503 answers retried.
    func start(_ type: String, _ tenant: VerifyTenant, deadline: ContinuousClock.Instant) async throws -> (job: UUID, unavailable: Int) {
        switch type {
        case "theme-detection", "group-formation":
            return try await tenant.startJob(tenant.path(of: analysisCycle) + "/" + type, body: ["seed": 7], deadline: deadline)
        case "knowledge-sharing":
            let body = ["cycle_id": sharingCycle.uuidString.lowercased()]
            return try await tenant.startJob("/v1/knowledge-sharing", body: body, deadline: deadline)
        default:
            return try await tenant.startReport(deadline: deadline)
        }
    }

    /// The effects of the analysis jobs (`jobs` by type) are there once, and every job's
    /// `job.succeeded` event was delivered; answers the figures.
    func check(_ tenant: VerifyTenant, jobs: [String: [UUID]]) async throws -> String {
        var figures: [String] = []
        if let runs = jobs["theme-detection"] {
            figures.append(try await tenant.checkThemes(in: analysisCycle, runs: runs, answers: answers))
        }
        if let runs = jobs["group-formation"] {
            figures.append(try await tenant.checkCollectives(in: analysisCycle, runs: runs))
        }
        if let runs = jobs["knowledge-sharing"] {
            figures.append(try await tenant.checkSuggestions(in: sharingCycle, runs: runs))
        }
        let runs = ["theme-detection", "group-formation", "knowledge-sharing"].map { "\(jobs[$0]?.count ?? 0)" }.joined(separator: "/")
        return "themes/groups/sharing runs \(runs): " + figures.joined(separator: ", ") + "; "
            + (try await checkEvents(tenant, jobs: jobs.values.flatMap { $0 }))
    }

    /// One delivery per job's event, delivered by a delivery job that succeeded, and seen
    /// by the receiver (more than once is allowed: delivery is at least once).
    private func checkEvents(_ tenant: VerifyTenant, jobs: [UUID]) async throws -> String {
        let ended = jobs.map { $0.uuidString.lowercased() }
        let deadline = ContinuousClock.now + .seconds(90)
        while true {
            let (deliveries, delivered, sent) = try await tenant.rows(
                """
                SELECT count(*)::int8, count(*) FILTER (WHERE d.state = 'delivered')::int8,
                    count(*) FILTER (WHERE j.state = 'succeeded')::int8
                FROM webhook_deliveries d JOIN jobs j ON j.tenant_id = d.tenant_id AND j.id = d.job_id
                WHERE d.endpoint_id = \(endpoint) AND d.payload -> 'data' ->> 'id' = ANY(\(ended)::text[])
                """
            ) { try $0.decode((Int, Int, Int).self) }.first ?? (0, 0, 0)
            guard deliveries <= jobs.count else { throw VerifyFailure("\(jobs.count) jobs' ends made \(deliveries) deliveries") }
            if deliveries == jobs.count, delivered == jobs.count, sent == jobs.count { break }
            guard ContinuousClock.now < deadline else {
                throw VerifyFailure(
                    "of \(jobs.count) jobs' events, \(deliveries) became deliveries, \(delivered) were delivered, "
                        + "\(sent) delivery jobs succeeded")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        let expected = Set(jobs.map { "evt_" + $0.uuidString.lowercased().replacingOccurrences(of: "-", with: "") + "_succeeded" })
        let received = receiver.requests.compactMap { $0.headers["webhook-id"] }.filter(expected.contains)
        let missing = expected.subtracting(received)
        guard missing.isEmpty else {
            throw VerifyFailure("the receiver never saw \(missing.count) delivered events, \(missing.first ?? "")")
        }
        return "\(jobs.count) events delivered (\(received.count - expected.count) sent again)"
    }
}
