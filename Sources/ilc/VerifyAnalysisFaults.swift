import Foundation
import ILCCore

/// The kill scenario over the analysis job types: a worker killed after a
/// `theme-detection`, `group-formation` or `knowledge-sharing` job stored its work,
/// before the job's outcome was written. Another worker must run the job again, and the
/// rerun must replace the first run's themes, collectives or suggestions, not add to them.
enum VerifyAnalysisFaults {
    static let scenarios: [VerifyScenario] = [
        VerifyScenario("fault", "worker SIGKILL after its write: themes, groups, sharing") { lab, _ in
            let tenant = try await VerifyTenant.create(lab, name: "kill-analysis")
            let answers = try await submitAnswers(tenant)
            let themes = try await killedAfterWrite(tenant, type: "theme-detection", path: "\(cyclePath(tenant))/theme-detection") { job in
                try await tenant.count("SELECT count(*)::int8 FROM themes WHERE detection_job_id = \(job)") > 0
            } check: { job, result in
                let stored = try await tenant.count("SELECT count(*)::int8 FROM themes WHERE cycle_id = \(tenant.cycleID)")
                let ofTheJob = try await tenant.count(
                    "SELECT count(*)::int8 FROM themes WHERE cycle_id = \(tenant.cycleID) AND detection_job_id = \(job)")
                let assigned = try await tenant.count(
                    "SELECT count(*)::int8 FROM theme_assignments WHERE cycle_id = \(tenant.cycleID)")
                guard let found = result["themes"] as? Int, found > 0, stored == found, ofTheJob == found else {
                    throw VerifyFailure("the job found \(result["themes"] ?? "no") themes; \(stored) are stored, \(ofTheJob) of its run")
                }
                guard assigned == answers else {
                    throw VerifyFailure("\(answers) answers, \(assigned) theme assignments")
                }
                return "\(found) themes once"
            }
            let groups = try await killedAfterWrite(tenant, type: "group-formation", path: "\(cyclePath(tenant))/group-formation") { _ in
                try await tenant.count("SELECT count(*)::int8 FROM collectives WHERE cycle_id = \(tenant.cycleID)") > 0
            } check: { _, result in
                let stored = try await tenant.count("SELECT count(*)::int8 FROM collectives WHERE cycle_id = \(tenant.cycleID)")
                let members = try await tenant.count("SELECT count(*)::int8 FROM memberships WHERE cycle_id = \(tenant.cycleID)")
                guard let formed = result["collectives"] as? Int, formed > 0, stored == formed,
                      let placed = result["placed"] as? Int, members == placed else {
                    throw VerifyFailure(
                        "the job formed \(result["collectives"] ?? "no") collectives of \(result["placed"] ?? "no") people; "
                            + "\(stored) collectives of \(members) are stored")
                }
                return "\(formed) collectives once"
            }
            try await recordInquiry(tenant)
            let sharing = try await killedAfterWrite(
                tenant, type: "knowledge-sharing", path: "/v1/knowledge-sharing", body: ["cycle_id": tenant.cycleID.uuidString.lowercased()]
            ) { job in
                try await tenant.count("SELECT count(*)::int8 FROM knowledge_shares WHERE job_id = \(job)") > 0
            } check: { job, result in
                let stored = try await tenant.count(
                    """
                    SELECT count(*)::int8 FROM knowledge_shares k
                    JOIN collectives c ON c.tenant_id = k.tenant_id AND c.id = k.target_collective_id
                    WHERE c.cycle_id = \(tenant.cycleID)
                    """)
                let ofTheJob = try await tenant.count("SELECT count(*)::int8 FROM knowledge_shares WHERE job_id = \(job)")
                guard let suggested = result["suggestions"] as? Int, suggested > 0, stored == suggested, ofTheJob == suggested else {
                    throw VerifyFailure("the job suggested \(result["suggestions"] ?? "no") shares; \(stored) are stored, \(ofTheJob) of its run")
                }
                return "\(suggested) suggestions once"
            }
            return "\(themes); \(groups); \(sharing)"
        }
    ]

    private static func cyclePath(_ tenant: VerifyTenant) -> String {
        "/v1/cycles/\(tenant.cycleID.uuidString.lowercased())"
    }

    /// A placemat per collective, all on the same problem, and evidence over three
    /// months; every other collective moves its indicator, so it has something to share.
    private static func recordInquiry(_ tenant: VerifyTenant) async throws {
        let collectives = try await tenant.rows("SELECT id FROM collectives WHERE cycle_id = \(tenant.cycleID) ORDER BY id") {
            try $0.decode(UUID.self)
        }
        for (index, collective) in collectives.enumerated() {
            let path = "/v1/collectives/\(collective.uuidString.lowercased())"
            let (placemat, _, _) = try await tenant.client.write("PUT", path + "/placemat", json: [
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
            let (recorded, _, _) = try await tenant.client.write("POST", path + "/evidence", json: evidence, deadline: .now + .seconds(30))
            guard (200..<300).contains(recorded.status) else {
                throw VerifyFailure("recording evidence answered \(recorded.status): \(recorded.text)")
            }
        }
    }

    /// Answers on three topics from educators of every role across districts.
    private static func submitAnswers(_ tenant: VerifyTenant) async throws -> Int {
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
        let (answer, _, _) = try await tenant.client.write("POST", tenant.intakePath, json: batch, deadline: .now + .seconds(60))
        guard answer.status == 200 else { throw VerifyFailure("intake answered \(answer.status): \(answer.text)") }
        return batch.count
    }

    /// Kills the worker of a `type` job (started by POSTing `body` to `path`) once its work
    /// is stored (when `written` finds it)
    /// and checks that the job succeeded on its second attempt and that `check` finds its
    /// effect once (given the job's result).
    private static func killedAfterWrite(
        _ tenant: VerifyTenant, type: String, path: String, body: [String: Any] = ["seed": 7], written: (UUID) async throws -> Bool,
        check: (UUID, [String: Any]) async throws -> String
    ) async throws -> String {
        let start = {
            let (answer, _, _) = try await tenant.client.write("POST", path, json: body, deadline: .now + .seconds(30))
            return try VerifyTenant.startedJob(answer)
        }
        let (job, _) = try await tenant.killedAtFaultPoint(type: type, moment: "after-run", start: start, reached: written)
        let state = try await tenant.jobStates([job])[job]
        guard state?.state == "succeeded", state?.attempts == 2 else {
            throw VerifyFailure("the \(type) job ended \(state?.state ?? "missing") after \(state?.attempts ?? 0) attempts; expected succeeded after 2")
        }
        let text = try await tenant.rows("SELECT result::text FROM jobs WHERE id = \(job)") { try $0.decode(String.self) }.first
        guard let result = (try? JSONSerialization.jsonObject(with: Data((text ?? "").utf8))) as? [String: Any] else {
            throw VerifyFailure("the \(type) job's result is no JSON object: \(text ?? "none")")
        }
        return "\(type) ran again once, \(try await check(job, result))"
    }
}
