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

    /// The body limit comes from `ILC_MAX_BODY_BYTES` (as from `--max-body-bytes`): a larger
    /// body is a 413 that names the limit; a value out of range stops the start, named.
    @Test func theBodyLimitComesFromTheEnvironment() async throws {
        let refused = try await CLIProcess.run([], executable: "ilc-api", environment: ["ILC_MAX_BODY_BYTES": "10"])
        #expect(refused.status == 64)
        #expect(refused.standardError.contains("ILC_MAX_BODY_BYTES must be"), "\(refused.standardError)")
        // Days that would overflow as seconds are refused too, not trapped on.
        let forever = try await CLIProcess.run(
            [], executable: "ilc-api", environment: ["ILC_JOB_RETENTION_DAYS": "9223372036854775807"])
        #expect(forever.status == 64)
        #expect(forever.standardError.contains("ILC_JOB_RETENTION_DAYS must be a whole number of days from 0 to 36500"))

        let port = try await FreePort.next()
        let server = try WorkerProcess(
            executable: "ilc-api", id: "e2e-body", arguments: ["--port", String(port)], environment: ["ILC_MAX_BODY_BYTES": "2048"])
        let base = try #require(URL(string: "http://127.0.0.1:\(port)"))
        guard try await LocalHTTP.waitUntilUp(base) else {
            Issue.record("ilc-api did not come up: \(server.log)")
            return
        }
        let name = String(repeating: "x", count: 3_000)
        let tooLarge = try await LocalHTTP.request("POST", base.appendingPathComponent("v1/cycles"), body: #"{"name":"\#(name)"}"#)
        #expect(tooLarge.status == 413)
        #expect(String(decoding: tooLarge.body, as: UTF8.self).contains("send at most 2048 bytes"))
        // Under the limit the request goes on, to the missing key.
        let small = try await LocalHTTP.request("POST", base.appendingPathComponent("v1/cycles"), body: #"{"name":"e2e"}"#)
        #expect(small.status == 401)

        server.signal(SIGTERM)
        #expect(await server.waitForExit() == 0, "\(server.log)")
    }
}
