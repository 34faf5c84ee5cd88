import Foundation
import ILCCore
import ILCStore
import ILCTestSupport
import Testing

/// Knowledge sharing across tenants as it runs: the job started through a real
/// `ilc-api` and run by a real `ilc-worker`; what one tenant publishes reaches another
/// network tenant anonymised, and never a tenant that did not choose network.
@Suite(.serialized) struct KnowledgeSharingJobTests {
    struct Agency {
        let id: UUID
        let key: String
        let cycle: UUID
        let collective: UUID
    }

    /// A tenant with one cycle and one collective whose placemat names a person, school
    /// and district; `moved`: its attendance rose from 80 to 90 on samples of 120.
    private func agency(
        _ database: Database, sharing: SharingPolicy, publicName: String?, problem: String, moved: Bool
    ) async throws -> Agency {
        let tenant = try await TestDatabase.makeTenant(database).id
        try await database.withOperatorTransaction { transaction in
            try await transaction.query("UPDATE tenants SET sharing = \(sharing.rawValue), public_name = \(publicName) WHERE id = \(tenant)")
        }
        let key = try await APIKeyStore(database: database).createTenantKey(
            tenantID: tenant, name: "e2e sharing", scopes: [.read, .jobsWrite]).token
        let cycle = try await CycleStore(database: database).create(
            tenantID: tenant, name: "sharing", startsOn: nil, endsOn: nil, settings: CycleSettings(sharingPolicy: sharing))
        _ = try await SurveyResponseStore(database: database).submit(tenantID: tenant, cycleID: cycle.id, responses: [
            SurveyResponseDraft(
                participant: ParticipantDraft(
                    externalID: "pat", name: "Pat Rivera", role: .principal, district: "Northfield USD", school: "Lincoln Middle"),
                focusStatement: "attendance"),
        ])
        let collective = try await CollectiveStore(database: database).create(
            tenantID: tenant, cycleID: cycle.id, name: "Attendance 1", facilitator: nil, themeID: nil)
        let placemat = try await PlacematStore(database: database).write(
            tenantID: tenant, collectiveID: collective.id, expectedVersion: nil,
            draft: PlacematDraft(
                problemOfPractice: problem,
                theoryOfAction: "If Pat Rivera's team at Lincoln Middle calls families of absent students every morning, then chronic absenteeism falls",
                indicators: [IndicatorDraft(
                    name: "Average daily attendance in Northfield USD", kind: .lagging, baseline: 80, baselineOn: "2026-09-01", target: 95)]))
        let indicator = try #require(placemat.content.indicators.first?.id)
        _ = try await EvidenceStore(database: database).record(tenantID: tenant, collectiveID: collective.id, drafts: [
            EvidenceDraft(indicatorID: indicator, category: .studentLearning, value: moved ? 84 : 80, sampleSize: 120, observedOn: "2026-11-01"),
            EvidenceDraft(indicatorID: indicator, category: .studentLearning, value: moved ? 90 : 79, sampleSize: 118, observedOn: "2027-01-15"),
            // A small group's value (n below the threshold of 10) never leaves the tenant.
            EvidenceDraft(indicatorID: indicator, category: .studentLearning, value: 99, sampleSize: 4, observedOn: "2027-02-01"),
        ])
        return Agency(id: tenant, key: key, cycle: cycle.id, collective: collective.id)
    }

    private func share(_ agency: Agency, base: URL) async throws -> [String: Any] {
        let started = try await LocalHTTP.request(
            "POST", base.appendingPathComponent("v1/knowledge-sharing"), key: agency.key,
            body: #"{"cycle_id": "\#(agency.cycle.uuidString.lowercased())"}"#)
        #expect(started.status == 202, "\(String(decoding: started.body, as: UTF8.self))")
        return try await LocalHTTP.finishedJob(try #require(started.headers["Location"] as? String), base: base, key: agency.key)
    }

    /// The collective's suggestions as the partner API lists them, with each one's JSON.
    private func shares(of agency: Agency, base: URL) async throws -> [(share: [String: Any], text: String)] {
        let listed = try await LocalHTTP.request(
            "GET", base.appendingPathComponent("v1/collectives/\(agency.collective.uuidString.lowercased())/shares"), key: agency.key)
        #expect(listed.status == 200)
        return (LocalHTTP.object(listed.body)["data"] as? [[String: Any]] ?? []).map { share in
            (share, String(decoding: (try? JSONSerialization.data(withJSONObject: share)) ?? Data(), as: UTF8.self))
        }
    }

    @Test func networkTenantsLearnFromEachOtherWithoutNamesAndOthersDoNot() async throws {
        let database = try await TestDatabase.sharedApp.value
        let problem = "Pat Rivera at Lincoln Middle in Northfield USD sees chronic absenteeism in grades 6 to 8"
        let source = try await agency(database, sharing: .network, publicName: "State of Example", problem: problem, moved: true)
        let learner = try await agency(
            database, sharing: .network, publicName: nil, problem: "chronic absenteeism in grades 6 to 8 keeps rising", moved: false)
        let inward = try await agency(
            database, sharing: .withinTenant, publicName: "Inward", problem: "chronic absenteeism in grades 6 to 8 keeps rising",
            moved: false)
        let port = try await FreePort.next()
        let api = try WorkerProcess(executable: "ilc-api", id: "e2e-sharing-api", arguments: ["--port", String(port)])
        let worker = try WorkerProcess(
            id: "e2e-sharing-\(UUID().uuidString.prefix(4))",
            arguments: ["--types", "knowledge-sharing", "--maintenance-seconds", "1", "--metrics-port", "0"])
        let base = try #require(URL(string: "http://127.0.0.1:\(port)"))
        guard try await LocalHTTP.waitUntilUp(base) else {
            Issue.record("ilc-api did not come up: \(api.log)")
            return
        }

        // The source publishes; then the others look.
        let published = try await share(source, base: base)
        #expect(published["state"] as? String == "succeeded", "\(published) \(worker.log)")
        #expect((published["result"] as? [String: Any])?["published"] as? Int == 1)
        for agency in [learner, inward] {
            let job = try await share(agency, base: base)
            #expect(job["state"] as? String == "succeeded", "\(job) \(worker.log)")
        }

        let learned = try await shares(of: learner, base: base).filter { $0.share["source_label"] as? String == "State of Example" }
        let suggestion = try #require(learned.first, "no suggestion from the network tenant")
        #expect(suggestion.share["cross_tenant"] as? Bool == true)
        #expect(suggestion.share["source_collective_id"] == nil)
        for name in ["Pat", "Rivera", "Lincoln", "Northfield", source.id.uuidString.lowercased(), source.collective.uuidString.lowercased()] {
            #expect(!suggestion.text.contains(name), "\(name) crossed tenants: \(suggestion.text)")
        }
        let reasons = try #require(suggestion.share["reasons"] as? [String: Any])
        let changes = reasons["indicator_changes"] as? [[String: Any]] ?? []
        // The latest value shown is the last one with a sample of at least 10.
        #expect(changes.first?["latest"] as? Double == 90)
        #expect(changes.first?["sample_size"] as? Int == 118)
        #expect((reasons["source_theory_of_action"] as? String)?.contains("[person]") == true)

        // A tenant that keeps to itself hears from no one outside; nothing that did not
        // move is suggested (other tests' network tenants may share the database).
        #expect(try await shares(of: inward, base: base).allSatisfy { $0.share["cross_tenant"] as? Bool == false })
        #expect(try await shares(of: source, base: base).allSatisfy { $0.share["source_label"] as? String != "Inward" })

        worker.signal(SIGTERM)
        api.signal(SIGTERM)
        #expect(await worker.waitForExit() == 0)
        #expect(await api.waitForExit() == 0)
    }

    /// An operator's network run, in a database and Redis of its own (a run spans every
    /// network tenant): each network tenant publishes, then each matches against the
    /// others' fresh publications; a tenant outside the network gets no job at all.
    @Test func anOperatorsNetworkRunPublishesEverywhereBeforeAnyoneMatches() async throws {
        try await TestDatabase.withMigratedScratchDatabase { configuration, databaseURL in
            try await Database.withDatabase(configuration: configuration, logger: TestDatabase.logger) { database in
                let problem = "Pat Rivera at Lincoln Middle in Northfield USD sees chronic absenteeism in grades 6 to 8"
                let learner = try await agency(
                    database, sharing: .network, publicName: nil, problem: "chronic absenteeism in grades 6 to 8 keeps rising", moved: false)
                let source = try await agency(database, sharing: .network, publicName: "State of Example", problem: problem, moved: true)
                let inward = try await agency(
                    database, sharing: .withinTenant, publicName: nil, problem: "chronic absenteeism in grades 6 to 8", moved: true)
                let operatorKey = try await APIKeyStore(database: database).createOperatorKey(name: "e2e network").token
                let redis = try await RedisTestServer()
                try await redis.start()
                let services = ["--database-url", databaseURL, "--redis-url", "redis://127.0.0.1:\(redis.port)"]
                let port = try await FreePort.next()
                let api = try WorkerProcess(executable: "ilc-api", id: "e2e-network-api", arguments: ["--port", String(port)] + services)
                let worker = try WorkerProcess(
                    id: "e2e-network-\(UUID().uuidString.prefix(4))",
                    arguments: ["--types", "knowledge-sharing", "--maintenance-seconds", "1", "--metrics-port", "0"] + services)
                let base = try #require(URL(string: "http://127.0.0.1:\(port)"))
                guard try await LocalHTTP.waitUntilUp(base) else {
                    Issue.record("ilc-api did not come up: \(api.log)")
                    return
                }

                // A tenant key may not start a run.
                let refused = try await LocalHTTP.request("POST", base.appendingPathComponent("v1/admin/knowledge-sharing"), key: learner.key)
                #expect(refused.status == 403)
                let started = try await LocalHTTP.request("POST", base.appendingPathComponent("v1/admin/knowledge-sharing"), key: operatorKey)
                #expect(started.status == 202, "\(String(decoding: started.body, as: UTF8.self))")
                #expect(LocalHTTP.object(started.body)["tenants"] as? Int == 2)
                let locationText = try #require(started.headers["Location"] as? String)
                let location = try #require(URL(string: locationText, relativeTo: base))

                // Both tenants' two jobs (publish, match) finish; the learner, listed
                // first, hears from the source all the same.
                func succeeded(_ agency: Agency) async throws -> Int {
                    let listed = try await LocalHTTP.request("GET", base.appendingPathComponent("v1/jobs"), key: agency.key)
                    return (LocalHTTP.object(listed.body)["data"] as? [[String: Any]] ?? []).filter { $0["state"] as? String == "succeeded" }.count
                }
                let deadline = ContinuousClock.now + .seconds(120)
                while try await succeeded(learner) + succeeded(source) < 4, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(200))
                }
                let (learnerJobs, sourceJobs) = (try await succeeded(learner), try await succeeded(source))
                #expect(learnerJobs == 2 && sourceJobs == 2, "\(worker.log)")
                let run = LocalHTTP.object(try await LocalHTTP.request("GET", location, key: operatorKey).body)
                #expect(run["published"] as? Int == 2 && run["matching_started_at"] != nil, "\(run)")
                let learned = try await shares(of: learner, base: base)
                #expect(learned.contains { $0.share["source_label"] as? String == "State of Example" }, "\(learned.map(\.text))")
                #expect(learned.allSatisfy { !$0.text.contains("Rivera") && !$0.text.contains("Lincoln") })
                let inwardJobs = try await LocalHTTP.request("GET", base.appendingPathComponent("v1/jobs"), key: inward.key)
                #expect((LocalHTTP.object(inwardJobs.body)["data"] as? [Any])?.isEmpty == true)

                worker.signal(SIGTERM)
                api.signal(SIGTERM)
                #expect(await worker.waitForExit() == 0)
                #expect(await api.waitForExit() == 0)
                try await redis.kill()
            }
        }
    }
}
