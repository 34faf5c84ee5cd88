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
            let answers = try await tenant.submitAnalysisAnswers(to: tenant.cycleID)
            let cycle = tenant.cycleID
            let themes = try await killedAfterWrite(
                tenant, type: "theme-detection", path: tenant.path(of: cycle) + "/theme-detection"
            ) { job in
                try await tenant.count("SELECT count(*)::int8 FROM themes WHERE detection_job_id = \(job)") > 0
            } check: { job in
                try await tenant.checkThemes(in: cycle, runs: [job], answers: answers)
            }
            let groups = try await killedAfterWrite(
                tenant, type: "group-formation", path: tenant.path(of: cycle) + "/group-formation"
            ) { job in
                try await tenant.count("SELECT count(*)::int8 FROM collectives WHERE formation_job_id = \(job)") > 0
            } check: { job in
                try await tenant.checkCollectives(in: cycle, runs: [job])
            }
            try await tenant.recordInquiry(in: cycle)
            let sharing = try await killedAfterWrite(
                tenant, type: "knowledge-sharing", path: "/v1/knowledge-sharing", body: ["cycle_id": cycle.uuidString.lowercased()]
            ) { job in
                try await tenant.count("SELECT count(*)::int8 FROM knowledge_shares WHERE job_id = \(job)") > 0
            } check: { job in
                try await tenant.checkSuggestions(in: cycle, runs: [job])
            }
            return "\(themes); \(groups); \(sharing)"
        }
    ]

    /// Kills the worker of a `type` job (started by POSTing `body` to `path`) once its work
    /// is stored (when `written` finds it) and checks that `check` finds its effect once.
    private static func killedAfterWrite(
        _ tenant: VerifyTenant, type: String, path: String, body: [String: Any] = ["seed": 7], written: (UUID) async throws -> Bool,
        check: (UUID) async throws -> String
    ) async throws -> String {
        let start = { try await tenant.startJob(path, body: body, deadline: .now + .seconds(30)).job }
        let (job, _) = try await tenant.killedAtFaultPoint(type: type, moment: "after-run", start: start, reached: written)
        return "\(type) ran again once, \(try await check(job))"
    }
}
