import Foundation
import ILCCore
import ILCStore
import ILCTestSupport
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reports as they are made: started through a real `ilc-api`, rendered by a real
/// `ilc-worker`, downloaded with their ETag; a value about too few people appears in
/// no format.
@Suite struct ReportGenerationJobTests {
    @Test func everyKindIsGeneratedStoredAndDownloadable() async throws {
        let database = try await TestDatabase.sharedApp.value
        let tenant = try await TestDatabase.makeTenant(database).id
        let fixture = try await ReportFixture.make(database, tenantID: tenant)
        let key = try await APIKeyStore(database: database).createTenantKey(tenantID: tenant, name: "e2e reports", scopes: [.read, .jobsWrite]).token
        let port = try await FreePort.next()
        let api = try WorkerProcess(executable: "ilc-api", id: "e2e-reports-api", arguments: ["--port", String(port)])
        let worker = try WorkerProcess(
            id: "e2e-reports-\(UUID().uuidString.prefix(4))",
            arguments: ["--types", "report-generation", "--maintenance-seconds", "1", "--metrics-port", "0"])
        let base = try #require(URL(string: "http://127.0.0.1:\(port)"))
        guard try await LocalHTTP.waitUntilUp(base) else {
            Issue.record("ilc-api did not come up: \(api.log)")
            return
        }
        let requests = [
            #"{"kind": "collective_progress", "collective_id": "\#(fixture.collectiveID.uuidString.lowercased())", "format": "html"}"#,
            #"{"kind": "cycle_summary", "cycle_id": "\#(fixture.cycleID.uuidString.lowercased())", "format": "csv"}"#,
            #"{"kind": "tenant_overview", "format": "json"}"#,
        ]
        for body in requests {
            let started = try await LocalHTTP.request("POST", base.appendingPathComponent("v1/reports"), key: key, body: body)
            #expect(started.status == 202, "\(String(decoding: started.body, as: UTF8.self))")
            let location = try #require(started.headers["Location"] as? String)
            let job = try await LocalHTTP.finishedJob(location, base: base, key: key)
            #expect(job["state"] as? String == "succeeded", "\(job) \(worker.log)")
            let result = try #require(job["result"] as? [String: Any])
            let links = try #require(result["links"] as? [String: String])
            let contentPath = try #require(links["content"])
            let contentURL = try #require(URL(string: contentPath, relativeTo: base))
            let download = try await LocalHTTP.request("GET", contentURL, key: key)
            #expect(download.status == 200)
            let text = String(decoding: download.body, as: UTF8.self)
            #expect(!text.contains("77.77"), "a value about 4 people was published: \(body)")
            // The collective's n = 4 value and the South district's two teacher leaders.
            if !body.contains("tenant_overview") { #expect(text.contains("suppressed")) }
            let etag = try #require(download.headers["Etag"] as? String ?? download.headers["ETag"] as? String)
            #expect(etag == "\"\(result["sha256"] as? String ?? "")\"")
            let again = try await LocalHTTP.request("GET", contentURL, key: key, headers: ["If-None-Match": etag])
            #expect(again.status == 304)
            if body.contains("html") {
                #expect(XMLParser(data: download.body).parse(), "the HTML is not well-formed")
                #expect(text.contains("<svg") && text.contains("Average daily attendance"))
            }
            if body.contains("csv") { #expect(text.hasPrefix("section,table,row,column,value,n,status\r\n")) }
            if body.contains("json") {
                let document = try JSONSerialization.jsonObject(with: download.body) as? [String: Any]
                #expect(document?["kind"] as? String == "tenant_overview")
            }
        }
        // Another tenant sees none of them.
        let other = try await TestDatabase.makeTenant(database).id
        let otherKey = try await APIKeyStore(database: database).createTenantKey(tenantID: other, name: "other", scopes: [.read]).token
        let listed = try await LocalHTTP.request("GET", base.appendingPathComponent("v1/reports"), key: otherKey)
        #expect((LocalHTTP.object(listed.body)["data"] as? [Any])?.isEmpty == true)
        let own = try await LocalHTTP.request("GET", base.appendingPathComponent("v1/reports"), key: key)
        #expect((LocalHTTP.object(own.body)["data"] as? [Any])?.count == 3)

        worker.signal(SIGTERM)
        api.signal(SIGTERM)
        #expect(await worker.waitForExit() == 0)
        #expect(await api.waitForExit() == 0)
    }
}
