import Foundation
import ILCCore
import ILCStore
import ILCTestSupport
import Testing

/// The real `ilc-api` process, as `ops/run` starts it.
@Suite struct APIProcessTests {
    @Test func theServerAnswersPartnersAndStopsCleanlyOnSIGTERM() async throws {
        let database = try await TestDatabase.sharedApp.value
        let tenant = try await TestDatabase.makeTenant(database)
        let key = try await APIKeyStore(database: database).createTenantKey(
            tenantID: tenant.id, name: "e2e", scopes: [.read, .collectivesWrite, .jobsWrite]).token
        let port = try await FreePort.next()
        let server = try WorkerProcess(executable: "ilc-api", id: "e2e", arguments: ["--port", String(port)])
        let base = try #require(URL(string: "http://127.0.0.1:\(port)"))

        // Up when /healthz answers (the build may still be warming caches).
        guard try await LocalHTTP.waitUntilUp(base) else {
            Issue.record("ilc-api did not come up: \(server.log)")
            return
        }
        #expect(try await LocalHTTP.request("GET", base.appendingPathComponent("readyz")).status == 200)
        let contract = try await LocalHTTP.request("GET", base.appendingPathComponent("openapi.yaml"))
        #expect(String(decoding: contract.body, as: UTF8.self).hasPrefix("openapi: 3.1"))

        #expect(try await LocalHTTP.request("GET", base.appendingPathComponent("v1/jobs")).status == 401)
        let created = try await LocalHTTP.request("POST", base.appendingPathComponent("v1/cycles"), key: key, body: #"{"name":"e2e"}"#)
        #expect(created.status == 201)
        let cycle = try #require((try JSONSerialization.jsonObject(with: created.body) as? [String: Any])?["id"] as? String)
        // A report: queued when answered, unless an end-to-end test's report worker took it.
        let started = try await LocalHTTP.request(
            "POST", base.appendingPathComponent("v1/reports"), key: key, body: #"{"kind": "cycle_summary", "cycle_id": "\#(cycle)"}"#)
        #expect(started.status == 202)
        let location = try #require(started.headers["Location"] as? String)
        let job = try await LocalHTTP.request("GET", try #require(URL(string: location, relativeTo: base)), key: key)
        #expect(job.status == 200)
        let state = (try JSONSerialization.jsonObject(with: job.body) as? [String: Any])?["state"] as? String
        #expect(JobState(rawValue: state ?? "") != nil)

        server.signal(SIGTERM)
        #expect(await server.waitForExit() == 0, "\(server.log)")
    }
}
