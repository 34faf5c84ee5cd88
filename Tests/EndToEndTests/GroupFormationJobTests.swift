import Foundation
import ILCCore
import ILCStore
import ILCTestSupport
import Testing

/// Group formation as a partner runs it: intake and theme detection through a real
/// `ilc-api`, the group-formation job run by a real `ilc-worker`, collectives listed;
/// then a facilitator's placement that the next run keeps.
@Suite(.serialized) struct GroupFormationJobTests {
    static let roles = ["teacher_leader", "instructional_coach", "principal", "central_office", "assistant_principal"]
    static let themes: [(String, [String])] = [
        ("attendance", ["attendance keeps falling", "chronic absenteeism in middle school", "absent students miss instruction"]),
        ("literacy", ["reading and literacy scores are flat", "phonics and reading fluency", "literacy across subjects"]),
        ("mathematics", ["math scores dropped", "algebra readiness in math", "math problem solving"]),
    ]

    /// 64 educators over 8 districts and 5 roles; a third name a second choice by catalog key.
    static func intakeBatch() throws -> String {
        let rows: [[String: Any]] = (0..<64).map { index in
            let (theme, phrases) = themes[index % 3]
            var row: [String: Any] = [
                "participant": [
                    "external_id": "educator-\(index)", "name": "Educator \(index)", "role": roles[index % roles.count],
                    "district": "District \(index % 8)", "time_zone": "America/Chicago",
                ],
                "focus_statement": "In my school \(phrases[index % 3]) and \(phrases[(index / 3) % 3]).",
                "improvement_goals": ["Improve \(theme)"],
            ]
            if index % 3 == 0 { row["theme_preferences"] = [theme, themes[(index + 1) % 3].0] }
            return row
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: rows), as: UTF8.self)
    }

    private func run(_ path: String, body: String, base: URL, key: String) async throws -> [String: Any] {
        let started = try await LocalHTTP.request("POST", base.appendingPathComponent(path), key: key, body: body)
        #expect(started.status == 202, "\(String(decoding: started.body, as: UTF8.self))")
        return try await LocalHTTP.finishedJob(try #require(started.headers["Location"] as? String), base: base, key: key)
    }

    private func collectives(_ cycle: String, base: URL, key: String) async throws -> [[String: Any]] {
        var components = try #require(URLComponents(url: base.appendingPathComponent("v1/cycles/\(cycle)/collectives"), resolvingAgainstBaseURL: false))
        components.queryItems = [URLQueryItem(name: "limit", value: "200")]
        let listed = try await LocalHTTP.request("GET", try #require(components.url), key: key)
        return LocalHTTP.object(listed.body)["data"] as? [[String: Any]] ?? []
    }

    @Test func themesBecomeCollectivesOfAtMostTenAndLockedPlacementsStay() async throws {
        let database = try await TestDatabase.sharedApp.value
        let tenant = try await TestDatabase.makeTenant(database)
        let other = try await TestDatabase.makeTenant(database)
        let scopes: Set<APIScope> = [.read, .surveysWrite, .collectivesWrite, .jobsWrite]
        let keys = APIKeyStore(database: database)
        let key = try await keys.createTenantKey(tenantID: tenant.id, name: "e2e groups", scopes: scopes).token
        let otherKey = try await keys.createTenantKey(tenantID: other.id, name: "e2e groups other", scopes: scopes).token
        let port = try await FreePort.next()
        let api = try WorkerProcess(executable: "ilc-api", id: "e2e-groups-api", arguments: ["--port", String(port)])
        let worker = try WorkerProcess(
            id: "e2e-groups-\(UUID().uuidString.prefix(4))",
            arguments: ["--types", "theme-detection,group-formation", "--maintenance-seconds", "1", "--metrics-port", "0"])
        let base = try #require(URL(string: "http://127.0.0.1:\(port)"))
        guard try await LocalHTTP.waitUntilUp(base) else {
            Issue.record("ilc-api did not come up: \(api.log)")
            return
        }

        let created = try await LocalHTTP.request(
            "POST", base.appendingPathComponent("v1/cycles"), key: key, body: #"{"name":"groups","settings":{"max_groups":8}}"#)
        let cycle = try #require(LocalHTTP.object(created.body)["id"] as? String)
        let intake = try await LocalHTTP.request(
            "POST", base.appendingPathComponent("v1/cycles/\(cycle)/survey-responses"), key: key, body: try Self.intakeBatch())
        #expect(LocalHTTP.object(intake.body)["created"] as? Int == 64, "\(String(decoding: intake.body, as: UTF8.self))")
        let detected = try await run("v1/cycles/\(cycle)/theme-detection", body: #"{"seed": 5, "max_themes": 6}"#, base: base, key: key)
        #expect(detected["state"] as? String == "succeeded", "\(detected) \(worker.log)")

        // Another tenant can neither start formation on this cycle nor see its collectives.
        let foreign = try await LocalHTTP.request(
            "POST", base.appendingPathComponent("v1/cycles/\(cycle)/group-formation"), key: otherKey, body: "{}")
        #expect(foreign.status == 404)

        let formed = try await run("v1/cycles/\(cycle)/group-formation", body: #"{"seed": 3}"#, base: base, key: key)
        #expect(formed["state"] as? String == "succeeded", "\(formed) \(worker.log)")
        let result = formed["result"] as? [String: Any] ?? [:]
        #expect(result["unplaced"] as? Int == 0, "\(result)")
        let metrics = result["metrics"] as? [String: Any] ?? [:]
        #expect((metrics["violations"] as? [String: Int])?.values.allSatisfy { $0 == 0 } == true, "\(metrics)")
        #expect(metrics["lower_bound"] is Int && metrics["objective"] is Int)

        let groups = try await collectives(cycle, base: base, key: key)
        let count = groups.count
        #expect((7...8).contains(count), "\(count) collectives")
        #expect(groups.count == result["collectives"] as? Int)
        var seen: [String] = []
        for group in groups {
            let members = group["members"] as? [[String: Any]] ?? []
            #expect((4...10).contains(members.count))
            #expect(group["theme_id"] is String)
            #expect(Set(members.compactMap { $0["role"] as? String }).count >= 2)
            seen += members.compactMap { $0["participant_id"] as? String }
        }
        #expect(seen.count == 64 && Set(seen).count == 64)
        #expect(try await collectives(cycle, base: base, key: otherKey).isEmpty)

        // A facilitator moves someone; the next run keeps that placement and collective.
        let target = try #require(groups.first { ($0["members"] as? [Any])?.count ?? 10 < 10 })
        let targetID = try #require(target["id"] as? String)
        let mover = try #require(seen.first { id in !((target["members"] as? [[String: Any]]) ?? []).contains { $0["participant_id"] as? String == id } })
        let placed = try await LocalHTTP.request(
            "PUT", base.appendingPathComponent("v1/collectives/\(targetID)/members/\(mover)"), key: key)
        #expect(placed.status == 200, "\(String(decoding: placed.body, as: UTF8.self))")
        // Two who shared a collective are asked to be kept apart.
        let pair = try #require(groups.first { $0["id"] as? String != targetID }?["members"] as? [[String: Any]])
            .compactMap { $0["participant_id"] as? String }.filter { $0 != mover }.prefix(2)
        let again = try await run(
            "v1/cycles/\(cycle)/group-formation", body: #"{"seed": 4, "avoid": [["\#(pair.first ?? "")", "\#(pair.last ?? "")"]]}"#,
            base: base, key: key)
        #expect(again["state"] as? String == "succeeded", "\(again)")
        let regrouped = try await collectives(cycle, base: base, key: key)
        let kept = try #require(regrouped.first { $0["id"] as? String == targetID })
        let keptMembers = kept["members"] as? [[String: Any]] ?? []
        #expect(keptMembers.contains { $0["participant_id"] as? String == mover && $0["locked"] as? Bool == true })
        #expect(regrouped.allSatisfy { (($0["members"] as? [Any])?.count ?? 0) <= 10 })
        #expect(regrouped.flatMap { ($0["members"] as? [[String: Any]]) ?? [] }.count == 64)
        let apart = regrouped.filter { group in
            let members = (group["members"] as? [[String: Any]] ?? []).compactMap { $0["participant_id"] as? String }
            return pair.allSatisfy(members.contains)
        }
        #expect(pair.count == 2 && apart.isEmpty)

        worker.signal(SIGTERM)
        api.signal(SIGTERM)
        #expect(await worker.waitForExit() == 0)
        #expect(await api.waitForExit() == 0)
    }
}
