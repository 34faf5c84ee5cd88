import Foundation
import ILCCore
import ILCStore
import ILCTestSupport
import Testing

/// The demo driver (`ilc demo run`, what `ops/demo` runs) against a real `ilc-api` and
/// `ilc-worker`: three agencies through a whole cycle over the partner API, to the
/// summary. Every job it started succeeded (it stops at the first that does not), no
/// collective has more than 10 members, and the reports are on disk.
@Suite(.serialized) struct DemoTests {
    @Test func theDemoDrivesThreeAgenciesThroughAWholeCycle() async throws {
        let database = try await TestDatabase.sharedApp.value
        let port = try await FreePort.next()
        let api = try WorkerProcess(executable: "ilc-api", id: "e2e-demo-api", arguments: ["--port", String(port)])
        let worker = try WorkerProcess(
            id: "e2e-demo-\(UUID().uuidString.prefix(4))",
            arguments: ["--types", "theme-detection,group-formation,knowledge-sharing,report-generation", "--maintenance-seconds", "1",
                        "--metrics-port", "0"])
        let base = try #require(URL(string: "http://127.0.0.1:\(port)"))
        guard try await LocalHTTP.waitUntilUp(base) else {
            Issue.record("ilc-api did not come up: \(api.log)")
            return
        }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("ilc-demo-\(UUID())")
        defer { try? FileManager.default.removeItem(at: output) }
        let demo = try await CLIProcess.run([
            "demo", "run", "--api", base.absoluteString, "--participants", "60", "--output", output.path, "--json",
        ])
        #expect(demo.status == 0, "\(demo.standardError)\n\(worker.log)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(demo.lastLine.utf8)) as? [String: Any])
        let agencies = try #require(summary["agencies"] as? [[String: Any]])
        #expect(agencies.count == 3)
        for agency in agencies {
            #expect(agency["participants"] as? Int == 60)
            #expect((agency["collectives"] as? Int ?? 0) > 0)
            #expect((agency["largest_collective"] as? Int ?? 11) <= 10)
            let reports = agency["reports"] as? [String] ?? []
            #expect(reports.count == 3)
            for path in reports {
                let html = try String(contentsOfFile: path, encoding: .utf8)
                #expect(html.hasPrefix("<!DOCTYPE html>"), "\(path)")
            }
        }
        // Every job of the demo agencies ended succeeded, in PostgreSQL too.
        for slug in ["demo-columbia", "demo-northland", "demo-greatlakes"] {
            let tenant = try await TenantStore(database: database).find(slug: try TenantSlug(slug))
            let states = try await database.withTenantTransaction(tenant.id) { transaction in
                try await transaction.query("SELECT DISTINCT state FROM jobs").map { try $0.decode(String.self) }
            }
            #expect(states == ["succeeded"], "\(slug): \(states)")
        }

        worker.signal(SIGTERM)
        api.signal(SIGTERM)
        #expect(await worker.waitForExit() == 0)
        #expect(await api.waitForExit() == 0)
    }
}
