import Foundation
import PostgresNIO

/// The effect checks of the job types whose rerun replaces what the last run stored
/// (theme detection, group formation, knowledge sharing): after any number of runs and
/// reruns, what is stored must be exactly one run's work, as much as that run reported.
extension VerifyTenant {
    /// The themes of `cycle` are one of `runs`' (all of them when it found them), and each
    /// of the cycle's `answers` is assigned once.
    func checkThemes(in cycle: UUID, runs: [UUID], answers: Int) async throws -> String {
        let (found, _) = try await checkLastRun(
            "themes", key: "themes", runs: runs,
            query: """
                SELECT count(*)::int8, count(DISTINCT detection_job_id)::int8, min(detection_job_id::text)
                FROM themes WHERE cycle_id = \(cycle)
                """)
        let assigned = try await count("SELECT count(*)::int8 FROM theme_assignments WHERE cycle_id = \(cycle)")
        guard assigned == answers else { throw VerifyFailure("\(answers) answers, \(assigned) theme assignments") }
        return "\(found) themes once"
    }

    /// The collectives of `cycle` are one of `runs`', with that run's placed members.
    func checkCollectives(in cycle: UUID, runs: [UUID]) async throws -> String {
        let (formed, result) = try await checkLastRun(
            "collectives", key: "collectives", runs: runs,
            query: """
                SELECT count(*)::int8, count(DISTINCT formation_job_id)::int8, min(formation_job_id::text)
                FROM collectives WHERE cycle_id = \(cycle)
                """)
        let members = try await count("SELECT count(*)::int8 FROM memberships WHERE cycle_id = \(cycle)")
        let placed = result["placed"] as? Int
        guard members == placed else {
            throw VerifyFailure("the run placed \(placed.map(String.init) ?? "nobody"); \(members) members are stored")
        }
        return "\(formed) collectives once"
    }

    /// The suggestions to the collectives of `cycle` are one of `runs`'.
    func checkSuggestions(in cycle: UUID, runs: [UUID]) async throws -> String {
        let (suggested, _) = try await checkLastRun(
            "suggestions", key: "suggestions", runs: runs,
            query: """
                SELECT count(*)::int8, count(DISTINCT k.job_id)::int8, min(k.job_id::text) FROM knowledge_shares k
                JOIN collectives c ON c.tenant_id = k.tenant_id AND c.id = k.target_collective_id
                WHERE c.cycle_id = \(cycle)
                """)
        return "\(suggested) suggestions once"
    }

    /// `query` answers the rows stored, how many runs wrote them and one of those runs:
    /// there must be rows, of one of `runs`, as many as its result's `key` says. Answers
    /// how many, and that run's result.
    private func checkLastRun(
        _ what: String, key: String, runs: [UUID], query: PostgresQuery
    ) async throws -> (stored: Int, result: [String: Any]) {
        let (stored, writers, writer) = try await rows(query) { try $0.decode((Int, Int, String?).self) }.first ?? (0, 0, nil)
        guard stored > 0, writers == 1, let run = writer.flatMap(UUID.init(uuidString:)), runs.contains(run) else {
            throw VerifyFailure(
                "\(stored) \(what) are stored, written by \(writers) runs (\(writer ?? "none")); expected one of the \(runs.count) jobs'")
        }
        let result = try await result(of: run)
        let reported = result[key] as? Int
        guard reported == stored else {
            throw VerifyFailure("the run that wrote the \(what) reported \(reported.map(String.init) ?? "none"); \(stored) are stored")
        }
        return (stored, result)
    }
}
