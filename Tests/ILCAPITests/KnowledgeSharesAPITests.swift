import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ILCCore
import ILCStore
import Testing

@testable import ILCAPI

@Suite struct KnowledgeSharesAPITests {
    @Test func suggestionsAreListedMarkedAndInvisibleToOtherTenants() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read, .collectivesWrite])
        let other = try await harness.tenant(scopes: [.read, .collectivesWrite])
        let cycle = try await CycleStore(database: harness.database).create(
            tenantID: tenant.id, name: "sharing", startsOn: nil, endsOn: nil, settings: CycleSettings())
        let collectives = CollectiveStore(database: harness.database)
        let target = try await collectives.create(tenantID: tenant.id, cycleID: cycle.id, name: "A", facilitator: nil, themeID: nil).id
        let own = try await collectives.create(tenantID: tenant.id, cycleID: cycle.id, name: "B", facilitator: nil, themeID: nil).id
        try await KnowledgeShareStore(database: harness.database).replaceSuggestions(
            tenantID: tenant.id, cycleID: cycle.id, jobID: UUID(), shares: [
                .init(targetCollectiveID: target, sourceTenantID: nil, sourceCollectiveID: own, sourceLabel: "B", score: 0.5,
                      reasons: #"{"shared_theme":"attendance","matching_terms":["tardies"]}"#),
                .init(targetCollectiveID: target, sourceTenantID: other.id, sourceCollectiveID: UUID(), sourceLabel: "State of Example",
                      score: 0.7, reasons: #"{"cross_tenant":true}"#),
            ])
        let readOnly = try await APIKeyStore(database: harness.database).createTenantKey(
            tenantID: tenant.id, name: "read only", scopes: [.read]).token
        let path = "/v1/collectives/\(target.uuidString.lowercased())/shares"
        try await harness.test { client in
            let shares = try await client.execute(uri: path, method: .get, headers: .bearer(tenant.key)) { response in
                #expect(response.status == .ok)
                return try json(response.body)["data"] as? [[String: Any]] ?? []
            }
            #expect(shares.count == 2)
            let foreign = try #require(shares.first { $0["cross_tenant"] as? Bool == true })
            #expect(foreign["source_collective_id"] == nil)
            #expect(foreign["source_label"] as? String == "State of Example")
            let mine = try #require(shares.first { $0["cross_tenant"] as? Bool == false })
            #expect(mine["source_collective_id"] as? String == own.uuidString.lowercased())
            #expect((mine["reasons"] as? [String: Any])?["shared_theme"] as? String == "attendance")
            let id = try #require(mine["id"] as? String)

            try await client.execute(
                uri: "/v1/knowledge-shares/\(id)", method: .patch, headers: jsonHeaders(tenant.key), body: try jsonBody(["status": "accepted"])
            ) { response in
                #expect(response.status == .ok)
                let share = try json(response.body)
                #expect(share["status"] as? String == "accepted")
            }
            try await client.execute(
                uri: "/v1/knowledge-shares/\(id)", method: .patch, headers: jsonHeaders(tenant.key), body: try jsonBody(["status": "useful"])
            ) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/knowledge-shares?status=accepted", method: .get, headers: .bearer(tenant.key)) { response in
                let page = try json(response.body)["data"] as? [[String: Any]] ?? []
                #expect(page.compactMap { $0["id"] as? String } == [id])
            }
            try await client.execute(
                uri: "/v1/knowledge-shares/\(id)", method: .patch, headers: jsonHeaders(readOnly), body: try jsonBody(["status": "dismissed"])
            ) { response in
                #expect(response.status == .forbidden)
            }

            // Another tenant: the collective and the suggestion do not exist for it.
            try await client.execute(uri: path, method: .get, headers: .bearer(other.key)) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/knowledge-shares", method: .get, headers: .bearer(other.key)) { response in
                let page = try json(response.body)["data"] as? [[String: Any]] ?? []
                #expect(page.isEmpty)
            }
            try await client.execute(
                uri: "/v1/knowledge-shares/\(id)", method: .patch, headers: jsonHeaders(other.key), body: try jsonBody(["status": "dismissed"])
            ) { response in
                #expect(response.status == .notFound)
            }
        }
        let unchanged = try await KnowledgeShareStore(database: harness.database).list(
            tenantID: tenant.id, collectiveID: target, status: .accepted, before: nil, limit: 10)
        #expect(unchanged?.count == 1)
    }
}
