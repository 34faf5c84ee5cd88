import Foundation
import ILCCore
import ILCStore

/// What the analysis jobs need before they have something to do: cycles with answers
/// on a few topics, collectives with placemats and evidence; and their results.
extension VerifyTenant {
    func path(of cycle: UUID) -> String {
        "/v1/cycles/\(cycle.uuidString.lowercased())"
    }

    /// A further cycle of this tenant.
    func createCycle(_ name: String) async throws -> UUID {
        try await CycleStore(database: lab.database).create(
            tenantID: id, name: name, startsOn: nil, endsOn: nil, settings: CycleSettings()
        ).id
    }

    /// Starts a job by POSTing `body` to `path` (retried as a careful partner does);
    /// answers its id and the 503 answers retried.
    func startJob(_ path: String, body: [String: Any], deadline: ContinuousClock.Instant) async throws -> (job: UUID, unavailable: Int) {
        let (answer, _, unavailable) = try await client.write("POST", path, json: body, deadline: deadline)
        return (try Self.startedJob(answer), unavailable)
    }

    /// 60 answers on three topics from educators of every role across districts;
    /// answers how many.
    func submitAnalysisAnswers(to cycle: UUID) async throws -> Int {
        let topics = [
            ["chronic absenteeism keeps rising", "attendance falls after winter break", "students miss school and instruction"],
            ["reading fluency and phonics lag", "literacy across subjects is weak", "students struggle to read grade level texts"],
            ["math problem solving scores dropped", "algebra readiness in math", "fractions and math reasoning gaps"],
        ]
        let roles = ParticipantRole.allCases.map(\.rawValue)
        let batch: [[String: Any]] = (0..<60).map { index in
            let topic = topics[index % 3]
            return [
                "participant": [
                    "external_id": "analysis-\(index)", "name": "Educator \(index)", "role": roles[index % roles.count],
                    "district": "District \(index % 7)",
                ],
                "focus_statement": "In our schools \(topic[index % 3]), and \(topic[(index / 3) % 3])",
            ]
        }
        let intake = path(of: cycle) + "/survey-responses"
        let (answer, _, _) = try await client.write("POST", intake, json: batch, deadline: .now + .seconds(60))
        guard answer.status == 200 else { throw VerifyFailure("intake answered \(answer.status): \(answer.text)") }
        return batch.count
    }

    /// `count` collectives made by hand in `cycle` (none of a formation run, so
    /// formation never replaces them).
    func createCollectives(in cycle: UUID, count: Int) async throws {
        let store = CollectiveStore(database: lab.database)
        for number in 1...count {
            _ = try await store.create(tenantID: id, cycleID: cycle, name: "Collective \(number)", facilitator: nil, themeID: nil)
        }
    }

    /// A placemat per collective of `cycle`, all on the same problem, and evidence over
    /// three months; every other collective moves its indicator, so it has something to
    /// share.
    func recordInquiry(in cycle: UUID) async throws {
        let collectives = try await rows("SELECT id FROM collectives WHERE cycle_id = \(cycle) ORDER BY id") { try $0.decode(UUID.self) }
        for (index, collective) in collectives.enumerated() {
            let path = "/v1/collectives/\(collective.uuidString.lowercased())"
            let (placemat, _, _) = try await client.write("PUT", path + "/placemat", json: [
                "problem_of_practice": "Chronic absenteeism in our middle schools keeps rising after winter break",
                "theory_of_action": "If teams call the families of absent students every morning, then attendance rises",
                "indicators": [[
                    "name": "Average daily attendance (%)", "kind": "lagging", "direction": "increase", "baseline": 80,
                    "baseline_on": "2026-09-15", "target": 92, "category": "student_learning",
                ]],
            ] as [String: Any], deadline: .now + .seconds(30))
            guard (200..<300).contains(placemat.status),
                  let indicator = (placemat.json["indicators"] as? [[String: Any]])?.first?["id"] as? String
            else { throw VerifyFailure("writing a placemat answered \(placemat.status): \(placemat.text)") }
            let step = index % 2 == 0 ? 3.0 : 0.0
            let evidence: [[String: Any]] = ["2026-10-15", "2026-11-15", "2026-12-15"].enumerated().map { month, date in
                ["indicator_id": indicator, "observed_on": date, "value": 80 + step * Double(month + 1), "n": 120]
            }
            let (recorded, _, _) = try await client.write("POST", path + "/evidence", json: evidence, deadline: .now + .seconds(30))
            guard (200..<300).contains(recorded.status) else {
                throw VerifyFailure("recording evidence answered \(recorded.status): \(recorded.text)")
            }
        }
    }

    /// A job's result object.
    func result(of job: UUID) async throws -> [String: Any] {
        let text = try await rows("SELECT result::text FROM jobs WHERE id = \(job)") { try $0.decode(String?.self) }.first ?? nil
        guard let result = (try? JSONSerialization.jsonObject(with: Data((text ?? "").utf8))) as? [String: Any] else {
            throw VerifyFailure("job \(job)'s result is no JSON object: \(text ?? "none")")
        }
        return result
    }
}
