import Foundation
import ILCCore
import ILCStore
import ILCTestSupport
import Testing

/// OpenTelemetry from a partner's request to the job it started: real `ilc-api` and
/// `ilc-worker` processes export OTLP (HTTP, JSON) to a collector stand-in, on a
/// database and a Redis of their own so no other test's worker runs the job.
@Suite struct TracingTests {
    /// A span as OTLP/JSON carries it; ids normalised to hex (the JSON mapping of
    /// protobuf bytes is base64, OTLP's own is hex: either is accepted).
    struct ExportedSpan {
        let service: String
        let name: String
        let traceID: String
        let spanID: String
        let parentSpanID: String
    }

    static func spans(in requests: [WebhookReceiver.Request]) -> [ExportedSpan] {
        requests.filter { $0.uri.hasSuffix("/v1/traces") }.flatMap { request -> [ExportedSpan] in
            let document = (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any]
            return (document?["resourceSpans"] as? [[String: Any]] ?? []).flatMap { resourceSpans -> [ExportedSpan] in
                let attributes = (resourceSpans["resource"] as? [String: Any])?["attributes"] as? [[String: Any]] ?? []
                let service = attributes.first { $0["key"] as? String == "service.name" }
                    .flatMap { ($0["value"] as? [String: Any])?["stringValue"] as? String } ?? ""
                return (resourceSpans["scopeSpans"] as? [[String: Any]] ?? []).flatMap { scope in
                    (scope["spans"] as? [[String: Any]] ?? []).map { span in
                        ExportedSpan(
                            service: service, name: span["name"] as? String ?? "", traceID: hex(span["traceId"]),
                            spanID: hex(span["spanId"]), parentSpanID: hex(span["parentSpanId"]))
                    }
                }
            }
        }
    }

    static func hex(_ value: Any?) -> String {
        guard let text = value as? String, !text.isEmpty else { return "" }
        if text.count % 2 == 0, text.allSatisfy(\.isHexDigit) { return text.lowercased() }
        return Data(base64Encoded: text).map { $0.map { String(format: "%02x", $0) }.joined() } ?? text
    }

    @Test func aJobRunIsASpanOfThePartnerRequestThatStartedIt() async throws {
        let collector = try await WebhookReceiver.start()
        let redis = try await RedisTestServer()
        try await redis.start()
        try await TestDatabase.withMigratedScratchDatabase { app, appURL in
            let key = try await Database.withDatabase(configuration: app, logger: TestDatabase.logger) { database in
                let tenant = try await TestDatabase.makeTenant(database)
                return try await APIKeyStore(database: database).createTenantKey(
                    tenantID: tenant.id, name: "tracing", scopes: [.read, .jobsWrite]).token
            }
            let environment = [
                "ILC_DATABASE_URL": appURL, "ILC_REDIS_URL": "redis://127.0.0.1:\(redis.port)/0",
                "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(collector.port)", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json",
                "OTEL_BSP_SCHEDULE_DELAY": "100",
            ]
            let port = try await FreePort.next()
            let api = try WorkerProcess(executable: "ilc-api", id: "tracing", arguments: ["--port", String(port)], environment: environment)
            let worker = try WorkerProcess(
                id: "tracing-\(UUID().uuidString.prefix(4))", arguments: ["--types", "report-generation", "--metrics-port", "0"],
                environment: environment)
            let base = try #require(URL(string: "http://127.0.0.1:\(port)"))
            guard try await LocalHTTP.waitUntilUp(base) else {
                Issue.record("ilc-api did not come up: \(api.log)")
                return
            }

            // The partner's own trace: the request's span and the job's run must join it.
            let traceID = "4bf92f3577b34da6a3ce929d0e0e4736", partnerSpanID = "00f067aa0ba902b7"
            let started = try await LocalHTTP.request(
                "POST", base.appendingPathComponent("v1/reports"), key: key, body: #"{"kind": "tenant_overview"}"#,
                headers: ["traceparent": "00-\(traceID)-\(partnerSpanID)-01"])
            #expect(started.status == 202)
            let location = try #require(started.headers["Location"] as? String)
            var state = ""
            for _ in 0..<600 where state != "succeeded" && state != "failed" {
                let job = try await LocalHTTP.request("GET", try #require(URL(string: location, relativeTo: base)), key: key)
                state = (try JSONSerialization.jsonObject(with: job.body) as? [String: Any])?["state"] as? String ?? ""
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(state == "succeeded", "\(worker.log)")

            var spans: [ExportedSpan] = []
            for _ in 0..<100 {
                spans = Self.spans(in: collector.requests).filter { $0.traceID == traceID }
                if spans.contains(where: { $0.service == "ilc-worker" }) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            let request = try #require(spans.first { $0.service == "ilc-api" && $0.parentSpanID == partnerSpanID }, "\(spans)")
            #expect(request.name == "/v1/reports")
            let run = try #require(spans.first { $0.service == "ilc-worker" }, "\(spans) \(worker.log)")
            #expect(run.name == "process report-generation")
            #expect(run.parentSpanID == request.spanID)

            api.signal(SIGTERM)
            worker.signal(SIGTERM)
            #expect(await api.waitForExit() == 0)
            #expect(await worker.waitForExit() == 0)
        }
        await collector.close()
    }
}
