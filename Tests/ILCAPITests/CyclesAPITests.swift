import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ILCCore
import ILCStore
import Testing

@testable import ILCAPI

@Suite struct CyclesAPITests {
    private func body(_ object: [String: Any]) throws -> ByteBuffer {
        ByteBuffer(data: try JSONSerialization.data(withJSONObject: object))
    }

    @Test func aCycleIsCreatedWithDefaultsReadBackAndListed() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read, .collectivesWrite])
        try await harness.test { client in
            let created = try await client.execute(
                uri: "/v1/cycles", method: .post, headers: jsonHeaders(tenant.key),
                body: try body(["name": "2026–27 statewide", "starts_on": "2026-09-01", "settings": ["group_size_max": 8]])
            ) { response in
                #expect(response.status == .created)
                let cycle = try json(response.body)
                let id = try #require(cycle["id"] as? String)
                #expect(response.headers[.location] == "/v1/cycles/\(id)")
                #expect(cycle["phase"] as? String == "gathering_themes")
                let settings = cycle["settings"] as? [String: Any]
                #expect(settings?["group_size_max"] as? Int == 8)
                #expect(settings?["group_size_min"] as? Int == 4)
                #expect(settings?["sharing_policy"] as? String == "within_tenant")
                return id
            }
            try await client.execute(uri: "/v1/cycles/\(created)", method: .get, headers: .bearer(tenant.key)) { response in
                #expect(response.status == .ok)
                let cycle = try json(response.body)
                #expect(cycle["starts_on"] as? String == "2026-09-01")
            }
            for index in 0..<2 {
                _ = try await client.execute(
                    uri: "/v1/cycles", method: .post, headers: jsonHeaders(tenant.key), body: try body(["name": "cycle \(index)"])
                ) { _ in }
            }
            let first = try await client.execute(uri: "/v1/cycles?limit=2", method: .get, headers: .bearer(tenant.key)) { response in
                let page = try json(response.body)
                #expect((page["data"] as? [[String: Any]])?.map { $0["name"] as? String } == ["cycle 1", "cycle 0"])
                return try #require(page["next"] as? String)
            }
            try await client.execute(uri: "/v1/cycles?limit=2&cursor=\(first)", method: .get, headers: .bearer(tenant.key)) { response in
                let page = try json(response.body)
                #expect((page["data"] as? [[String: Any]])?.map { $0["id"] as? String } == [created])
                #expect(page["next"] == nil)
            }
        }
    }

    @Test func badValuesAreAllNamedAndNothingIsStored() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read, .collectivesWrite])
        try await harness.test { client in
            try await client.execute(
                uri: "/v1/cycles", method: .post, headers: jsonHeaders(tenant.key),
                body: try body([
                    "name": " ", "starts_on": "2026-02-30",
                    "settings": ["group_size_max": 12, "theme_catalog": ["Literacy", "Literacy"], "suppression_threshold": 0],
                ])
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                let problem = try json(response.body)
                #expect(problem["code"] as? String == "validation_failed")
                let pointers = Set((problem["errors"] as? [[String: String]] ?? []).compactMap { $0["pointer"] })
                #expect(
                    pointers == [
                        "/name", "/starts_on", "/settings/group_size_max", "/settings/theme_catalog",
                        "/settings/suppression_threshold",
                    ])
            }
            try await client.execute(
                uri: "/v1/cycles", method: .post, headers: jsonHeaders(tenant.key), body: ByteBuffer(string: "{not json")
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            }
            try await client.execute(uri: "/v1/cycles", method: .get, headers: .bearer(tenant.key)) { response in
                let page = try json(response.body)
                #expect((page["data"] as? [Any])?.isEmpty == true)
            }
        }
    }

    @Test func updatesMergeSettingsAndPhasesMoveForwardOneAtATime() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read, .collectivesWrite])
        let reader = try await harness.key(for: tenant.id, scopes: [.read])
        try await harness.test { client in
            let id = try await client.execute(
                uri: "/v1/cycles", method: .post, headers: jsonHeaders(tenant.key),
                body: try body(["name": "pilot", "settings": ["theme_catalog": ["Literacy"]]])
            ) { response in try #require(try json(response.body)["id"] as? String) }

            try await client.execute(
                uri: "/v1/cycles/\(id)", method: .patch, headers: jsonHeaders(tenant.key),
                body: try body([
                    "phase": "forming_collectives",
                    "settings": ["group_size_min": 5, "max_groups": 12, "max_utc_spread_hours": 1.5, "min_roles": 3],
                ])
            ) { response in
                #expect(response.status == .ok)
                let cycle = try json(response.body)
                #expect(cycle["phase"] as? String == "forming_collectives")
                let settings = cycle["settings"] as? [String: Any]
                #expect(settings?["group_size_min"] as? Int == 5)
                #expect(settings?["max_groups"] as? Int == 12)
                #expect(settings?["max_utc_spread_hours"] as? Double == 1.5)
                #expect(settings?["min_roles"] as? Int == 3)
                #expect(settings?["max_per_district"] as? Int == 3)
                #expect(settings?["theme_catalog"] as? [String] == ["Literacy"])
            }
            // 0 and 26 lift the limits again.
            try await client.execute(
                uri: "/v1/cycles/\(id)", method: .patch, headers: jsonHeaders(tenant.key),
                body: try body(["settings": ["max_groups": 0, "max_utc_spread_hours": 26]])
            ) { response in
                let settings = try json(response.body)["settings"] as? [String: Any]
                #expect(settings?["max_groups"] == nil)
                #expect(settings?["max_utc_spread_hours"] == nil)
                #expect(settings?["group_size_min"] as? Int == 5)
            }
            try await client.execute(
                uri: "/v1/cycles/\(id)", method: .patch, headers: jsonHeaders(tenant.key),
                body: try body(["settings": ["max_utc_spread_hours": 27, "max_groups": -1]])
            ) { response in
                #expect(response.status == .badRequest)
                let pointers = (try json(response.body)["errors"] as? [[String: String]])?.compactMap { $0["pointer"] }
                #expect(Set(pointers ?? []) == ["/settings/max_utc_spread_hours", "/settings/max_groups"])
            }
            for phase in ["reviewing_progress", "gathering_themes"] {
                try await client.execute(
                    uri: "/v1/cycles/\(id)", method: .patch, headers: jsonHeaders(tenant.key), body: try body(["phase": phase])
                ) { response in
                    #expect(response.status == .conflict)
                    let problem = try json(response.body)
                    #expect(problem["code"] as? String == "phase_order")
                }
            }
            try await client.execute(
                uri: "/v1/cycles/\(id)", method: .patch, headers: jsonHeaders(tenant.key),
                body: try body(["settings": ["group_size_min": 9, "group_size_max": 5]])
            ) { response in
                // Each value is fine alone; together they are not.
                #expect(response.status == .unprocessableContent)
                let problem = try json(response.body)
                #expect((problem["errors"] as? [[String: String]])?.first?["pointer"] == "/settings/group_size_max")
            }
            try await client.execute(
                uri: "/v1/cycles/\(id)", method: .patch, headers: jsonHeaders(reader), body: try body(["name": "renamed"])
            ) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/v1/cycles/\(id)", method: .get, headers: .bearer(reader)) { response in
                let cycle = try json(response.body)
                #expect(cycle["name"] as? String == "pilot")
                #expect(cycle["phase"] as? String == "forming_collectives")
            }
        }
    }
}
