import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ILCCore
import ILCStore
import Testing

@testable import ILCAPI

@Suite struct AdminAPITests {
    @Test func operatorsAddTenantsAndChangeTheirSettings() async throws {
        let harness = try await APIHarness.make()
        let operatorKey = try await harness.operatorKey()
        let slug = "admin-\(UUID().uuidString.prefix(8).lowercased())"
        try await harness.test { client in
            let id = try await client.execute(
                uri: "/v1/admin/tenants", method: .post, headers: jsonHeaders(operatorKey),
                body: try jsonBody(["slug": slug, "name": "Northfield State Department of Education", "kind": "state"])
            ) { response in
                #expect(response.status == .created)
                #expect(jsonField(response.body, "sharing") as? String == "within_tenant")
                #expect(jsonField(response.body, "rate_limit") == nil)
                let id = try #require(jsonField(response.body, "id") as? String)
                #expect(response.headers[.location] == "/v1/admin/tenants/\(id)")
                return id
            }
            try await client.execute(
                uri: "/v1/admin/tenants", method: .post, headers: jsonHeaders(operatorKey),
                body: try jsonBody(["slug": slug, "name": "Again", "kind": "state"])
            ) { response in
                #expect(response.status == .conflict)
                #expect(jsonField(response.body, "code") as? String == "slug_taken")
            }
            try await client.execute(
                uri: "/v1/admin/tenants", method: .post, headers: jsonHeaders(operatorKey),
                body: try jsonBody(["slug": "Bad Slug", "name": " ", "kind": "state"])
            ) { response in
                #expect(response.status == .badRequest)
                let pointers = Set((jsonField(response.body, "errors") as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String })
                #expect(pointers == ["/slug", "/name"])
            }
            try await client.execute(uri: "/v1/admin/tenants", method: .get, headers: .bearer(operatorKey)) { response in
                let slugs = (jsonField(response.body, "data") as? [[String: Any]] ?? []).compactMap { $0["slug"] as? String }
                #expect(slugs.contains(slug))
            }
            let change: [String: Any] = [
                "sharing": "network", "public_name": "Northfield State", "queue_weight": 3, "max_in_flight": 5, "rate_limit": 250,
            ]
            try await client.execute(
                uri: "/v1/admin/tenants/\(id)", method: .patch, headers: jsonHeaders(operatorKey), body: try jsonBody(change)
            ) { response in
                #expect(response.status == .ok)
                #expect(jsonField(response.body, "sharing") as? String == "network")
                #expect(jsonField(response.body, "public_name") as? String == "Northfield State")
                #expect(jsonField(response.body, "queue_weight") as? Int == 3)
                #expect(jsonField(response.body, "max_in_flight") as? Int == 5)
                #expect(jsonField(response.body, "rate_limit") as? Int == 250)
            }
            try await client.execute(
                uri: "/v1/admin/tenants/\(id)", method: .patch, headers: jsonHeaders(operatorKey),
                body: try jsonBody(["max_in_flight": 0, "use_default_rate_limit": true])
            ) { response in
                #expect(jsonField(response.body, "max_in_flight") == nil)
                #expect(jsonField(response.body, "rate_limit") == nil)
                #expect(jsonField(response.body, "queue_weight") as? Int == 3)
            }
            try await client.execute(
                uri: "/v1/admin/tenants/\(id)", method: .patch, headers: jsonHeaders(operatorKey),
                body: try jsonBody(["rate_limit": 5, "use_default_rate_limit": true])
            ) { response in
                #expect(response.status == .unprocessableContent)
            }
            // 199 letters and an emoji with a skin-tone modifier: 200 characters to Swift,
            // 201 code points to JSON Schema and PostgreSQL. Refused by field, not a 500.
            try await client.execute(
                uri: "/v1/admin/tenants/\(id)", method: .patch, headers: jsonHeaders(operatorKey),
                body: try jsonBody(["public_name": String(repeating: "a", count: 199) + "\u{1F44D}\u{1F3FB}", "report_retention_days": 30])
            ) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("/public_name"))
            }
            try await client.execute(
                uri: "/v1/admin/tenants/\(id)", method: .patch, headers: jsonHeaders(operatorKey),
                body: try jsonBody(["report_retention_days": 30])
            ) { response in
                #expect(jsonField(response.body, "report_retention_days") as? Int == 30)
            }
            try await client.execute(uri: "/v1/admin/tenants/\(UUID())", method: .get, headers: .bearer(operatorKey)) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func aTenantsOwnRateLimitReplacesTheDefault() async throws {
        let harness = try await APIHarness.make()
        let operatorKey = try await harness.operatorKey()
        let limited = try await harness.tenant(scopes: [.read])
        let other = try await harness.tenant(scopes: [.read])
        _ = try await TenantStore(database: harness.database).update(id: limited.id, {
            var changes = TenantChanges()
            changes.rateLimit = .perSecond(2)
            return changes
        }())
        // A generous default and a long window, so only the tenant's own limit can bite.
        try await harness.test(rateLimit: 1_000, rateWindow: .seconds(60)) { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<3 {
                statuses.append(try await client.execute(uri: "/v1/cycles", method: .get, headers: .bearer(limited.key)) { $0.status })
            }
            #expect(statuses == [.ok, .ok, .tooManyRequests])
            for _ in 0..<3 {
                try await client.execute(uri: "/v1/cycles", method: .get, headers: .bearer(other.key)) { response in
                    #expect(response.status == .ok)
                }
            }
            try await client.execute(
                uri: "/v1/admin/tenants/\(limited.id.uuidString.lowercased())", method: .patch, headers: jsonHeaders(operatorKey),
                body: try jsonBody(["rate_limit": 0])
            ) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/cycles", method: .get, headers: .bearer(limited.key)) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func deletingATenantNeedsItsSlugAndTakesItsKeysAndDataWithIt() async throws {
        let harness = try await APIHarness.make()
        let operatorKey = try await harness.operatorKey()
        let doomed = try await harness.tenant()
        let neighbour = try await harness.tenant()
        let doomedJob = try await harness.enqueue(1, tenant: doomed.id)[0]
        let neighbourJob = try await harness.enqueue(1, tenant: neighbour.id)[0]
        let slug = try #require(try await TenantStore(database: harness.database).find(id: doomed.id)).slug.rawValue
        let id = doomed.id.uuidString.lowercased()
        try await harness.test { client in
            // The key works before; its tenant is then remembered by this process's cache.
            try await client.execute(uri: "/v1/jobs/\(doomedJob.id.uuidString.lowercased())", method: .get, headers: .bearer(doomed.key)) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/v1/admin/tenants/\(id)?confirm=\(slug)x", method: .delete, headers: .bearer(operatorKey)) { response in
                #expect(response.status == .unprocessableContent)
                let pointers = (jsonField(response.body, "errors") as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String }
                #expect(pointers == ["/confirm"])
            }
            try await client.execute(uri: "/v1/admin/tenants/\(id)", method: .delete, headers: .bearer(operatorKey)) { response in
                #expect(response.status == .badRequest)
            }
            #expect(try await harness.queues.job(tenantID: doomed.id, id: doomedJob.id) != nil)
            try await client.execute(uri: "/v1/admin/tenants/\(id)?confirm=\(slug)", method: .delete, headers: .bearer(operatorKey)) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/v1/admin/tenants/\(id)", method: .get, headers: .bearer(operatorKey)) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: "/v1/admin/tenants/\(id)?confirm=\(slug)", method: .delete, headers: .bearer(operatorKey)) {
                #expect($0.status == .notFound)
            }
            // Its keys went with it, at once on this process.
            try await client.execute(uri: "/v1/jobs", method: .get, headers: .bearer(doomed.key)) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/jobs/\(neighbourJob.id.uuidString.lowercased())", method: .get, headers: .bearer(neighbour.key)) {
                #expect($0.status == .ok)
            }
        }
        #expect(try await harness.queues.job(tenantID: doomed.id, id: doomedJob.id) == nil)
        #expect(try await harness.queues.job(tenantID: neighbour.id, id: neighbourJob.id)?.state == .queued)
    }
}
