import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ILCCore
import ILCStore
import Testing

@testable import ILCAPI

@Suite struct ParticipantsAPITests {
    @Test func anAdminKeyErasesAParticipantAndGetsAReceipt() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read, .admin])
        let reader = try await harness.key(for: tenant.id, scopes: [.read, .surveysWrite])
        let cycle = try await CycleStore(database: harness.database).create(
            tenantID: tenant.id, name: "Erasure", startsOn: nil, endsOn: nil, settings: CycleSettings())
        _ = try await SurveyResponseStore(database: harness.database).submit(
            tenantID: tenant.id, cycleID: cycle.id, responses: ["EDU-1", "EDU-2"].map {
                SurveyResponseDraft(
                    participant: ParticipantDraft(externalID: $0, name: "Person \($0)", role: .principal, district: "North"),
                    focusStatement: "attendance")
            })
        let listed = try #require(try await SurveyResponseStore(database: harness.database).list(
            tenantID: tenant.id, cycleID: cycle.id, filter: .init(), before: nil, limit: 10))
        let erased = try #require(listed.first { $0.participant.externalID == "EDU-1" }?.participantID)
        let uri = "/v1/participants/\(erased.uuidString.lowercased())"
        try await harness.test { client in
            try await client.execute(uri: uri, method: .delete, headers: .bearer(reader)) { #expect($0.status == .forbidden) }
            try await client.execute(uri: uri, method: .delete, headers: .bearer(tenant.key)) { response in
                #expect(response.status == .ok)
                let receipt = try json(response.body)
                #expect(receipt["participant_id"] as? String == erased.uuidString.lowercased())
                #expect(receipt["external_id"] as? String == "EDU-1")
                #expect(receipt["survey_responses"] as? Int == 1)
                #expect(receipt["memberships"] as? Int == 0)
                #expect(receipt["erased_at"] is String)
            }
            try await client.execute(uri: uri, method: .delete, headers: .bearer(tenant.key)) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/v1/participants/not-an-id", method: .delete, headers: .bearer(tenant.key)) {
                #expect($0.status == .notFound || $0.status == .badRequest)
            }
            try await client.execute(
                uri: "/v1/cycles/\(cycle.id.uuidString.lowercased())/survey-responses", method: .get, headers: .bearer(reader)
            ) { response in
                let left = (jsonField(response.body, "data") as? [[String: Any]] ?? [])
                    .compactMap { ($0["participant"] as? [String: Any])?["external_id"] as? String }
                #expect(left == ["EDU-2"])
            }
        }
    }
}
