import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ILCCore
import ILCReports
import ILCStore
import Testing

@testable import ILCAPI

/// Every operation of `openapi.yaml` that names a resource, called with tenant B's
/// all-scopes key on tenant A's resource ids: each must answer 404 and show nothing.
/// The operations come from the spec itself, so a new one is covered without anyone
/// listing it; a new kind of path parameter fails here until it gets a fixture.
@Suite struct CrossTenantTests {
    @Test func anotherTenantsKeyFindsNothingOfTenantA() async throws {
        let harness = try await APIHarness.make()
        let owner = try await harness.tenant(scopes: [.admin])
        let intruder = try await harness.tenant(scopes: [.admin])
        let job = try await harness.enqueue(1, tenant: owner.id)[0]
        let operations = try SpecOperation.all()
        #expect(operations.count >= 7)
        try await harness.test { client in
            var headers = HTTPFields.bearer(owner.key)
            headers[.contentType] = "application/json"
            let cycle = try await client.execute(
                uri: "/v1/cycles", method: .post, headers: headers, body: ByteBuffer(string: #"{"name":"owner's"}"#)
            ) { response in
                try #require((try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])?["id"] as? String)
            }
            let cycleID = try #require(UUID(uuidString: cycle))
            let collective = try await CollectiveStore(database: harness.database).create(
                tenantID: owner.id, cycleID: cycleID, name: "owner's collective", facilitator: nil, themeID: nil)
            _ = try await SurveyResponseStore(database: harness.database).submit(
                tenantID: owner.id, cycleID: cycleID, responses: [SurveyResponseDraft(
                    participant: ParticipantDraft(externalID: "owner-1", name: "Owner's educator", role: .principal, district: "D"),
                    focusStatement: "attendance")])
            let participant = try #require(try await SurveyResponseStore(database: harness.database).list(
                tenantID: owner.id, cycleID: cycleID, filter: .init(), before: nil, limit: 1)?.first?.participantID)
            _ = try await CollectiveStore(database: harness.database).place(
                tenantID: owner.id, collectiveID: collective.id, participantID: participant)
            let theme = UUID()
            try await harness.database.withTenantTransaction(owner.id) { transaction in
                try await transaction.query(
                    "INSERT INTO themes (tenant_id, id, cycle_id, label, size) VALUES (\(owner.id), \(theme), \(cycleID), 'owner theme', 3)")
            }
            let endpoint = try await WebhookStore(database: harness.database).create(
                tenantID: owner.id, url: "https://owner-hooks.example/private-path", description: "owner's warehouse",
                eventTypes: [.jobSucceeded], secret: "whsec_owner")
            try await KnowledgeShareStore(database: harness.database).replaceSuggestions(
                tenantID: owner.id, cycleID: cycleID, jobID: UUID(), shares: [.init(
                    targetCollectiveID: collective.id, sourceTenantID: nil, sourceCollectiveID: UUID(), sourceLabel: "owner's source",
                    score: 0.5, reasons: "{}")])
            let share = try #require(try await KnowledgeShareStore(database: harness.database).list(
                tenantID: owner.id, collectiveID: collective.id, status: nil, before: nil, limit: 1)?.first?.id)
            let report = try await ReportStore(database: harness.database).save(tenantID: owner.id, ReportDraft(
                kind: .cycleSummary, format: .csv, title: "owner's report", cycleID: cycleID, collectiveID: nil,
                content: Data("section,table\r\n".utf8), jobID: nil))
            let fixtures = [
                "{jobId}": job.id.uuidString.lowercased(), "{cycleId}": cycle, "{shareId}": share.uuidString.lowercased(),
                "{reportId}": report.id.uuidString.lowercased(),
                "{collectiveId}": collective.id.uuidString.lowercased(), "{participantId}": participant.uuidString.lowercased(),
                "{themeId}": theme.uuidString.lowercased(), "{endpointId}": endpoint.id.uuidString.lowercased(),
            ]
            let secrets = [
                cycle, collective.id.uuidString.lowercased(), participant.uuidString.lowercased(), "owner-1",
                theme.uuidString.lowercased(), "owner theme", endpoint.id.uuidString.lowercased(), "private-path",
                "owner's warehouse", share.uuidString.lowercased(), "owner's source", report.id.uuidString.lowercased(),
                "owner's report",
            ]
            var intruderHeaders = HTTPFields.bearer(intruder.key)
            intruderHeaders[.contentType] = "application/json"
            // Tenant administration is for operator keys only: a tenant's key is refused outright.
            let administration = operations.filter { APIOperations.byID[$0.id]?.audience == .operatorKey }
            #expect(!administration.isEmpty)
            for operation in administration {
                let uri = operation.path.replacingOccurrences(of: "{tenantId}", with: owner.id.uuidString.lowercased())
                let body: ByteBuffer? = [.post, .patch].contains(operation.method) ? ByteBuffer(string: "{}") : nil
                try await client.execute(uri: uri, method: operation.method, headers: intruderHeaders, body: body) { response in
                    #expect(response.status == .forbidden, "\(operation)")
                    #expect(jsonField(response.body, "code") as? String == "operator_key_required", "\(operation)")
                }
            }
            for operation in operations where operation.path.contains("{") && !administration.contains(operation) {
                var uri = operation.path
                for (parameter, value) in fixtures { uri = uri.replacingOccurrences(of: parameter, with: value) }
                #expect(!uri.contains("{"), "no fixture for a parameter of \(operation)")
                // A body the operation would accept from its owner, so only the ids decide.
                let bodies = [
                    "createCollective": #"{"name": "intruder's"}"#,
                    "mergeTheme": #"{"into_theme_id": "\#(UUID())"}"#,
                    "recordEvidence": #"[{"indicator_id": "\#(UUID())", "observed_on": "2026-11-01"}]"#,
                    "updateKnowledgeShare": #"{"status": "dismissed"}"#,
                    "submitSurveyResponses": #"{"participant": {"external_id": "x-1", "name": "X", "role": "other", "district": "D"}, "focus_statement": "x"}"#,
                ]
                let body: ByteBuffer? = [.post, .patch, .put].contains(operation.method)
                    ? ByteBuffer(string: bodies[operation.id] ?? "{}") : nil
                try await client.execute(uri: uri, method: operation.method, headers: intruderHeaders, body: body) { response in
                    #expect(response.status == .notFound, "\(operation)")
                    #expect(!String(buffer: response.body).contains(job.id.uuidString.lowercased()))
                    for secret in secrets { #expect(!String(buffer: response.body).contains(secret), "\(operation)") }
                }
            }
            // Starting work elsewhere names tenant A's ids in the body.
            for operation in operations where !operation.path.contains("{") && operation.method == .post
                && !administration.contains(operation) {
                let body = ByteBuffer(string: #"{"cycle_id": "\#(cycle)", "name": "intruder's"}"#)
                try await client.execute(uri: operation.path, method: .post, headers: intruderHeaders, body: body) { response in
                    let refused = response.status == .notFound || response.status == .badRequest
                    let mayCreate = operation.path == "/v1/cycles"  // makes the intruder's own cycle
                    #expect(refused || mayCreate, "\(operation): \(response.status)")
                    #expect(!String(buffer: response.body).contains(job.id.uuidString.lowercased()), "\(operation)")
                    #expect(!String(buffer: response.body).contains(cycle), "\(operation)")
                }
            }
            for operation in operations where !operation.path.contains("{") && operation.method == .get
                && !administration.contains(operation) {
                try await client.execute(uri: operation.path, method: .get, headers: intruderHeaders) { response in
                    #expect(response.status == .ok, "\(operation)")
                    for secret in secrets + [job.id.uuidString.lowercased()] {
                        #expect(!String(buffer: response.body).contains(secret), "\(operation)")
                    }
                }
            }
            // What the intruder's deletes and changes aimed at is still there.
            let responses = try await SurveyResponseStore(database: harness.database).list(
                tenantID: owner.id, cycleID: cycleID, filter: .init(), before: nil, limit: 10)
            #expect(responses?.map(\.participantID) == [participant])
            #expect(try await TenantStore(database: harness.database).find(id: owner.id) != nil)
        }
        #expect(try await harness.queues.job(tenantID: owner.id, id: job.id)?.state == .queued)
    }
}
