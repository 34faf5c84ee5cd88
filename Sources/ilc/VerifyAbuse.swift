import Foundation
import ILCCore
import ILCStore

/// The abuse scenarios: what a careless or hostile client sends must get a clear
/// answer and must not cost anyone data.
enum VerifyAbuse {
    static let scenarios: [VerifyScenario] = [
        VerifyScenario("abuse", "oversized body") { lab, _ in
            let tenant = try await VerifyTenant.create(lab, name: "oversized")
            // 17 MiB, one more than the API takes.
            let body = Data(repeating: UInt8(ascii: " "), count: 17 << 20)
            let answer = try await tenant.client.send("POST", tenant.intakePath, body: body, timeout: 60)
            try expectProblem(answer, status: 413, "a 17 MiB body")
            return "17 MiB answered 413 problem+json"
        },
        VerifyScenario("abuse", "malformed JSON and CSV") { lab, _ in
            let tenant = try await VerifyTenant.create(lab, name: "malformed")
            let cases: [(String, String, String, String?)] = [
                ("JSON cut short", "application/json", #"{"name": "Cycle""#, nil),
                ("JSON of the wrong shape", "application/json", #"{"name": 42}"#, "/name"),
                ("CSV with an open quote", "text/csv", "external_id,name,role,district,focus_statement\nA,\"B,other,D,F\n", nil),
                ("CSV without a required column", "text/csv", "external_id,name,role,district\nA,B,other,D\n", "/header"),
            ]
            for (label, contentType, text, pointer) in cases {
                let path = contentType == "text/csv" ? tenant.intakePath : "/v1/cycles"
                let answer = try await tenant.client.send("POST", path, body: Data(text.utf8), contentType: contentType)
                try expectProblem(answer, status: 400, label)
                if let pointer {
                    let pointers = (answer.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String }
                    guard pointers.contains(pointer) else { throw VerifyFailure("\(label): no error points at \(pointer): \(answer.text)") }
                }
            }
            try await expectNoResponses(tenant)
            return "\(cases.count) bodies answered 400 problem+json naming the field; nothing stored"
        },
        VerifyScenario("abuse", "10,000-row CSV with 3 bad rows") { lab, _ in
            try await largeCSV(lab)
        },
        VerifyScenario("abuse", "idempotency race (50 POSTs, one key)") { lab, _ in
            try await idempotencyRace(lab)
        },
        VerifyScenario("abuse", "tenant rate limit") { lab, _ in
            try await rateLimit(lab)
        },
        VerifyScenario("abuse", "invalid keys") { lab, _ in
            try await VerifyKeyGuessing.run(lab)
        },
        VerifyScenario("abuse", "slow client") { lab, _ in
            try await VerifySlowClient.run(port: lab.apiPort, idleTimeout: VerifyLab.idleTimeoutSeconds)
        },
    ]

    static func expectProblem(_ answer: VerifyClient.Answer, status: Int, _ label: String) throws {
        guard answer.status == status, answer.isProblem else {
            throw VerifyFailure("\(label): expected \(status) problem+json, got \(answer.status): \(answer.text)")
        }
    }

    private static func expectNoResponses(_ tenant: VerifyTenant) async throws {
        let answer = try await tenant.client.send("GET", tenant.intakePath)
        guard answer.status == 200, (answer.json["data"] as? [Any])?.isEmpty == true else {
            throw VerifyFailure("refused bodies stored something: \(answer.text)")
        }
    }

    /// Rows 100, 5,000 and 9,999 are bad (an unknown role, a missing district, a cell
    /// too few): the other 9,997 are stored and the three reported by their lines.
    private static func largeCSV(_ lab: VerifyLab) async throws -> String {
        let tenant = try await VerifyTenant.create(lab, name: "csv")
        var text = "external_id,name,role,district,focus_statement\n"
        let bad: [Int: String] = [
            100: "R-100,Educator,astronaut,District 1,Attendance\n",
            5_000: "R-5000,Educator,principal,,Attendance\n",
            9_999: "R-9999,Educator,principal,District 1\n",
        ]
        for row in 1...10_000 {
            text += bad[row] ?? "R-\(row),Educator \(row),teacher_leader,District \(row % 9),Chronic absenteeism after winter break\n"
        }
        let started = ContinuousClock.now
        let answer = try await tenant.client.send("POST", tenant.intakePath, body: Data(text.utf8), contentType: "text/csv", timeout: 120)
        let took = started.duration(to: .now).timeInterval
        guard answer.status == 200 else { throw VerifyFailure("answered \(answer.status): \(answer.text)") }
        let result = answer.json
        let lines = Set((result["errors"] as? [[String: Any]] ?? []).compactMap { $0["line"] as? Int })
        // Line 1 is the header: row n is on line n + 1.
        guard result["created"] as? Int == 9_997, result["rejected"] as? Int == 3, lines == [101, 5_001, 10_000] else {
            throw VerifyFailure("expected 9,997 stored and lines 101, 5,001, 10,000 reported: \(answer.text)")
        }
        let stored = try await tenant.count("SELECT count(*)::int8 FROM survey_responses WHERE cycle_id = \(tenant.cycleID)")
        guard stored == 9_997 else { throw VerifyFailure("9,997 accepted, \(stored) stored") }
        return String(format: "9,997 stored, lines 101, 5,001 and 10,000 reported, in %.1f s", took)
    }

    private static func idempotencyRace(_ lab: VerifyLab) async throws -> String {
        let tenant = try await VerifyTenant.create(lab, name: "race")
        let name = "Race \(UUID().uuidString.prefix(8))"
        let key = UUID().uuidString
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    try await tenant.client.send("POST", "/v1/cycles", json: ["name": name], idempotencyKey: key).status
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        let unexpected = statuses.filter { ![201, 409].contains($0) }
        guard unexpected.isEmpty, statuses.contains(201) else {
            throw VerifyFailure("answers were \(Dictionary(grouping: statuses, by: { $0 }).mapValues(\.count))")
        }
        let cycles = try await tenant.count("SELECT count(*)::int8 FROM cycles WHERE name = \(name)")
        guard cycles == 1 else { throw VerifyFailure("50 POSTs with one key made \(cycles) cycles") }
        let created = statuses.filter { $0 == 201 }.count
        return "one cycle made; \(created) answered 201 (the rest replayed it), \(50 - created) answered 409 while it ran"
    }

    /// A tenant allowed 5 requests a second that sends 40 at once gets 429s with
    /// Retry-After, and is served again after waiting that long.
    private static func rateLimit(_ lab: VerifyLab) async throws -> String {
        let tenant = try await VerifyTenant.create(lab, name: "rate")
        var changes = TenantChanges()
        changes.rateLimit = .perSecond(5)
        _ = try await TenantStore(database: lab.database).update(id: tenant.id, changes)
        // Verified keys (with their tenant's limit) are kept for the API's key cache time.
        try await Task.sleep(for: .seconds(VerifyLab.keyCacheSeconds + 1))
        let answers = try await withThrowingTaskGroup(of: VerifyClient.Answer.self) { group in
            for _ in 0..<40 {
                group.addTask { try await tenant.client.send("GET", "/v1/cycles") }
            }
            return try await group.reduce(into: [VerifyClient.Answer]()) { $0.append($1) }
        }
        let limited = answers.filter { $0.status == 429 }
        guard limited.count >= 30, answers.allSatisfy({ [200, 429].contains($0.status) }) else {
            throw VerifyFailure("40 requests at a limit of 5/s: \(Dictionary(grouping: answers.map(\.status), by: { $0 }).mapValues(\.count))")
        }
        guard let retryAfter = limited.first?.header("Retry-After").flatMap(Int.init), limited.allSatisfy(\.isProblem) else {
            throw VerifyFailure("a 429 without Retry-After or problem+json: \(limited.first?.text ?? "")")
        }
        try await Task.sleep(for: .seconds(retryAfter))
        let after = try await tenant.client.send("GET", "/v1/cycles")
        guard after.status == 200 else { throw VerifyFailure("after Retry-After: \(after.status)") }
        return "\(limited.count) of 40 answered 429 problem+json, Retry-After \(retryAfter) s; served again after it"
    }
}
