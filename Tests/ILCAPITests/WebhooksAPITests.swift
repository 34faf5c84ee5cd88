import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ILCCore
import ILCStore
import ILCWebhooks
import Testing

@testable import ILCAPI

@Suite struct WebhooksAPITests {
    @Test func registerReadChangeAndDeleteAnEndpoint() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read, .admin])
        try await harness.test { client in
            let created = try await client.execute(
                uri: "/v1/webhook-endpoints", method: .post, headers: jsonHeaders(tenant.key),
                body: try jsonBody([
                    "url": "https://warehouse.example.org/ilc/events?v=1", "description": "warehouse",
                    "event_types": ["job.succeeded", "job.failed"],
                ])
            ) { response in
                #expect(response.status == .created)
                let body = try json(response.body)
                let id = try #require(body["id"] as? String)
                #expect(response.headers[.location] == "/v1/webhook-endpoints/\(id)")
                #expect(body["event_types"] as? [String] == ["job.succeeded", "job.failed"])
                #expect(body["enabled"] as? Bool == true)
                let secret = try #require(body["secret"] as? String)
                #expect(WebhookSecret(secret) != nil)
                return (id, secret)
            }
            let (id, secret) = created
            try await client.execute(uri: "/v1/webhook-endpoints", method: .get, headers: .bearer(tenant.key)) { response in
                #expect(response.status == .ok)
                let data = jsonField(response.body, "data") as? [[String: Any]] ?? []
                #expect(data.compactMap { $0["id"] as? String } == [id])
                #expect(!String(buffer: response.body).contains(secret))
            }
            try await client.execute(
                uri: "/v1/webhook-endpoints/\(id)", method: .patch, headers: jsonHeaders(tenant.key),
                body: try jsonBody(["event_types": ["job.canceled"], "enabled": false, "description": "paused"])
            ) { response in
                #expect(response.status == .ok)
                let body = try json(response.body)
                #expect(body["event_types"] as? [String] == ["job.canceled"])
                #expect(body["enabled"] as? Bool == false)
                #expect(body["description"] as? String == "paused")
                #expect(body["url"] as? String == "https://warehouse.example.org/ilc/events?v=1")
                #expect(body["secret"] == nil)
            }
            try await client.execute(uri: "/v1/webhook-endpoints/\(id)", method: .get, headers: .bearer(tenant.key)) { response in
                #expect(jsonField(response.body, "enabled") as? Bool == false)
                #expect(!String(buffer: response.body).contains(secret))
            }
            try await client.execute(uri: "/v1/webhook-endpoints/\(id)", method: .delete, headers: .bearer(tenant.key)) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/v1/webhook-endpoints/\(id)", method: .get, headers: .bearer(tenant.key)) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/webhook-endpoints/\(id)", method: .delete, headers: .bearer(tenant.key)) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func aCanceledJobShowsUpInTheDeliveryLog() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read, .admin, .jobsWrite])
        let jobs = try await harness.enqueue(2, tenant: tenant.id)
        try await harness.test { client in
            let id = try await client.execute(
                uri: "/v1/webhook-endpoints", method: .post, headers: jsonHeaders(tenant.key),
                body: try jsonBody(["url": "https://partner.example.org/hooks", "event_types": ["job.canceled"]])
            ) { response in
                try #require(jsonField(response.body, "id") as? String)
            }
            for job in jobs {
                try await client.execute(
                    uri: "/v1/jobs/\(job.id.uuidString.lowercased())/cancel", method: .post, headers: .bearer(tenant.key)
                ) { response in
                    #expect(response.status == .ok || response.status == .accepted)
                }
            }
            let deliveries = "/v1/webhook-endpoints/\(id)/deliveries"
            let next = try await client.execute(uri: deliveries + "?limit=1", method: .get, headers: .bearer(tenant.key)) { response in
                #expect(response.status == .ok)
                let data = jsonField(response.body, "data") as? [[String: Any]] ?? []
                #expect(data.count == 1)
                let delivery = try #require(data.first)
                #expect(delivery["event_type"] as? String == "job.canceled")
                #expect(delivery["state"] as? String == "pending")
                // A webhook worker of another test may have tried it already (it cannot resolve).
                #expect(delivery["attempts"] as? Int == (delivery["attempt_log"] as? [Any])?.count)
                let body = try #require((delivery["body"] as? String).map { Data($0.utf8) })
                let event = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
                #expect(event["type"] as? String == "job.canceled")
                // Newest first: the second job's event.
                #expect((event["data"] as? [String: Any])?["id"] as? String == jobs[1].id.uuidString.lowercased())
                return try #require(jsonField(response.body, "next") as? String)
            }
            try await client.execute(
                uri: deliveries + "?limit=1&cursor=\(next)", method: .get, headers: .bearer(tenant.key)
            ) { response in
                let data = jsonField(response.body, "data") as? [[String: Any]] ?? []
                #expect(data.count == 1)
                #expect(jsonField(response.body, "next") == nil)
            }
            try await client.execute(uri: deliveries + "?state=delivered", method: .get, headers: .bearer(tenant.key)) { response in
                #expect((jsonField(response.body, "data") as? [Any])?.isEmpty == true)
            }
            try await client.execute(uri: deliveries + "?state=lost", method: .get, headers: .bearer(tenant.key)) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test(arguments: [
        (#"{"url": "ftp://example.org/x", "event_types": ["job.failed"]}"#, "/url"),
        (#"{"url": "https://user:pw@example.org/x", "event_types": ["job.failed"]}"#, "/url"),
        (#"{"url": "https://example.org/x", "event_types": []}"#, "/event_types"),
        (#"{"url": "https://example.org/x", "event_types": ["job.failed", "job.failed"]}"#, "/event_types"),
        (#"{"url": "https://example.org/x", "event_types": ["job.exploded"]}"#, "/event_types/0"),
        (#"{"url": "https://example.org/x"}"#, "/event_types"),
    ])
    func badEndpointsAreRefusedByField(body: String, pointer: String) async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.admin])
        try await harness.test { client in
            try await client.execute(
                uri: "/v1/webhook-endpoints", method: .post, headers: jsonHeaders(tenant.key), body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .badRequest)
                let errors = jsonField(response.body, "errors") as? [[String: Any]] ?? []
                #expect(errors.contains { ($0["pointer"] as? String)?.hasPrefix(pointer) == true }, "\(String(buffer: response.body))")
            }
        }
    }

    @Test func privateAddressesAreRefusedUnlessTheOperatorAllowsThem() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.admin])
        for url in ["http://localhost:8080/hook", "https://10.1.2.3/hook", "http://169.254.169.254/latest/meta-data"] {
            try await harness.test { client in
                try await client.execute(
                    uri: "/v1/webhook-endpoints", method: .post, headers: jsonHeaders(tenant.key),
                    body: try jsonBody(["url": url, "event_types": ["job.failed"]])
                ) { response in
                    #expect(response.status == .unprocessableContent, "\(url)")
                    let errors = jsonField(response.body, "errors") as? [[String: Any]] ?? []
                    #expect(errors.first?["pointer"] as? String == "/url")
                    #expect((errors.first?["detail"] as? String)?.contains("private") == true)
                }
            }
        }
        try await harness.test(webhookPolicy: NetworkAddressPolicy(allowsPrivateNetworks: true)) { client in
            try await client.execute(
                uri: "/v1/webhook-endpoints", method: .post, headers: jsonHeaders(tenant.key),
                body: try jsonBody(["url": "http://localhost:8080/hook", "event_types": ["job.failed"]])
            ) { response in
                #expect(response.status == .created)
            }
        }
        // A change of URL is checked the same way.
        let endpoint = try await WebhookStore(database: harness.database).list(tenantID: tenant.id)[0]
        try await harness.test { client in
            try await client.execute(
                uri: "/v1/webhook-endpoints/\(endpoint.id.uuidString.lowercased())", method: .patch,
                headers: jsonHeaders(tenant.key), body: try jsonBody(["url": "http://127.0.0.1/other"])
            ) { response in
                #expect(response.status == .unprocessableContent)
            }
        }
    }

    @Test func managingEndpointsNeedsTheAdminScopeAndTwentyIsTheMost() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read, .jobsWrite])
        let admin = try await harness.key(for: tenant.id, scopes: [.admin])
        let jobsOnly = try await harness.key(for: tenant.id, scopes: [.jobsWrite])
        let body = try jsonBody(["url": "https://example.org/hook", "event_types": ["job.succeeded"]])
        try await harness.test { client in
            try await client.execute(uri: "/v1/webhook-endpoints", method: .post, headers: jsonHeaders(tenant.key), body: body) {
                response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/v1/webhook-endpoints", method: .get, headers: .bearer(jobsOnly)) { response in
                #expect(response.status == .forbidden)
            }
            for _ in 0..<WebhookStore.endpointLimit {
                try await client.execute(uri: "/v1/webhook-endpoints", method: .post, headers: jsonHeaders(admin), body: body) {
                    response in
                    #expect(response.status == .created)
                }
            }
            try await client.execute(uri: "/v1/webhook-endpoints", method: .post, headers: jsonHeaders(admin), body: body) {
                response in
                #expect(response.status == .conflict)
                #expect(jsonField(response.body, "code") as? String == "too_many_endpoints")
            }
        }
    }
}
