import Foundation
import ILCCore
import ILCStore
import ILCTestSupport
import Testing

/// Theme detection as a partner runs it: intake posted to a real `ilc-api`, the job
/// started and polled there, run by a real `ilc-worker`, themes listed.
@Suite(.serialized) struct ThemeDetectionJobTests {
    static let answers: [(String, [String])] = [
        ("attendance", ["attendance keeps falling", "chronic absenteeism in middle school", "absent students miss instruction"]),
        ("literacy", ["reading and literacy scores are flat", "phonics and reading fluency", "literacy across subjects"]),
        ("mathematics", ["math scores dropped", "algebra readiness in math", "math problem solving"]),
    ]

    static func intakeBatch() throws -> String {
        let rows: [[String: Any]] = (0..<60).map { index in
            let (theme, phrases) = answers[index % 3]
            return [
                "participant": [
                    "external_id": "\(theme)-\(index)", "name": "Educator \(index)", "role": "principal",
                    "district": "D\(index % 4)",
                ],
                "focus_statement": "In my school \(phrases[index % 3]) and \(phrases[(index / 3) % 3]).",
                "improvement_goals": ["Improve \(theme)"],
            ]
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: rows), as: UTF8.self)
    }

    @Test func postedAnswersBecomeThemesAndApprovedThemesAreNotReplaced() async throws {
        let database = try await TestDatabase.sharedApp.value
        let tenant = try await TestDatabase.makeTenant(database)
        let key = try await APIKeyStore(database: database).createTenantKey(
            tenantID: tenant.id, name: "e2e themes", scopes: [.read, .surveysWrite, .collectivesWrite, .jobsWrite]).token
        let port = try await FreePort.next()
        let api = try WorkerProcess(executable: "ilc-api", id: "e2e-themes-api", arguments: ["--port", String(port)])
        let worker = try WorkerProcess(
            id: "e2e-themes-\(UUID().uuidString.prefix(4))",
            arguments: ["--types", "theme-detection", "--maintenance-seconds", "1", "--metrics-port", "0"])
        let base = try #require(URL(string: "http://127.0.0.1:\(port)"))
        guard try await LocalHTTP.waitUntilUp(base) else {
            Issue.record("ilc-api did not come up: \(api.log)")
            return
        }

        let created = try await LocalHTTP.request("POST", base.appendingPathComponent("v1/cycles"), key: key, body: #"{"name":"themes"}"#)
        let cycle = try #require(LocalHTTP.object(created.body)["id"] as? String)
        let intake = try await LocalHTTP.request(
            "POST", base.appendingPathComponent("v1/cycles/\(cycle)/survey-responses"), key: key, body: try Self.intakeBatch())
        #expect(intake.status == 200, "\(String(decoding: intake.body, as: UTF8.self))")
        #expect(LocalHTTP.object(intake.body)["created"] as? Int == 60)

        let detection = base.appendingPathComponent("v1/cycles/\(cycle)/theme-detection")
        let started = try await LocalHTTP.request("POST", detection, key: key, body: #"{"seed": 5, "max_themes": 6}"#)
        #expect(started.status == 202)
        let job = try await LocalHTTP.finishedJob(try #require(started.headers["Location"] as? String), base: base, key: key)
        #expect(job["state"] as? String == "succeeded", "\(job) \(worker.log)")
        #expect((job["result"] as? [String: Any])?["responses"] as? Int == 60)

        let listed = try await LocalHTTP.request("GET", base.appendingPathComponent("v1/cycles/\(cycle)/themes"), key: key)
        let themes = LocalHTTP.object(listed.body)["data"] as? [[String: Any]] ?? []
        #expect(Set(themes.compactMap { $0["catalog_key"] as? String }) == ["attendance", "literacy", "mathematics"])
        #expect(themes.allSatisfy { ($0["quotes"] as? [Any])?.count == 3 })

        // Approved themes are the facilitators' work: a second run refuses to replace them.
        let first = try #require(themes.first?["id"] as? String)
        let approved = try await LocalHTTP.request(
            "PATCH", base.appendingPathComponent("v1/themes/\(first)"), key: key, body: #"{"approved": true}"#)
        #expect(approved.status == 200)
        let again = try await LocalHTTP.request("POST", detection, key: key, body: #"{"seed": 6}"#)
        let refused = try await LocalHTTP.finishedJob(try #require(again.headers["Location"] as? String), base: base, key: key)
        #expect(refused["state"] as? String == "failed")
        #expect(((refused["error"] as? [String: Any])?["title"] as? String)?.contains("approved") == true, "\(refused)")
        let after = try await LocalHTTP.request("GET", base.appendingPathComponent("v1/cycles/\(cycle)/themes"), key: key)
        #expect((LocalHTTP.object(after.body)["data"] as? [[String: Any]] ?? []).count == themes.count)

        worker.signal(SIGTERM)
        api.signal(SIGTERM)
        #expect(await worker.waitForExit() == 0)
        #expect(await api.waitForExit() == 0)
    }
}
