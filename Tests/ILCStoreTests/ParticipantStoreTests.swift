import Foundation
import ILCTestSupport
import PostgresNIO
import Testing

@testable import ILCStore

@Suite struct ParticipantStoreTests {
    /// Two people in one cycle, both answering, both quoted by one theme, both in one
    /// collective; the first wrote a reflection.
    private struct Cycle {
        let tenant: UUID
        let erased: UUID
        let kept: UUID
        let keptResponse: UUID
        let theme: UUID
        let reflection: UUID
    }

    private func seed(_ database: Database) async throws -> Cycle {
        let tenant = try await TestDatabase.makeTenant(database).id
        let (cycle, theme, collective, reflection) = (UUID(), UUID(), UUID(), UUID())
        let people = [UUID(), UUID()], responses = [UUID(), UUID()]
        // As the theme-detection job writes them (JSONEncoder: upper-case ids).
        let quotes = String(decoding: try JSONEncoder().encode(responses.map { Theme.Quote(responseID: $0, text: "quote") }), as: UTF8.self)
        try await database.withTenantTransaction(tenant) { transaction in
            let statements: [PostgresQuery] = [
                "INSERT INTO cycles (tenant_id, id, name) VALUES (\(tenant), \(cycle), 'Erasure cycle')",
                """
                INSERT INTO participants (tenant_id, id, external_id, name, email, role, district)
                SELECT \(tenant), id, 'educator-' || n, 'Person ' || n, 'p' || n || '@example.org', 'principal', 'North'
                FROM unnest(\(people)::uuid[]) WITH ORDINALITY AS given (id, n)
                """,
                """
                INSERT INTO survey_responses (tenant_id, id, cycle_id, participant_id, focus_statement)
                SELECT \(tenant), response, \(cycle), person, 'chronic absenteeism'
                FROM unnest(\(responses)::uuid[], \(people)::uuid[]) AS given (response, person)
                """,
                """
                INSERT INTO themes (tenant_id, id, cycle_id, label, size, quotes)
                VALUES (\(tenant), \(theme), \(cycle), 'Attendance', 2, \(quotes)::jsonb)
                """,
                """
                INSERT INTO theme_assignments (tenant_id, response_id, cycle_id, theme_id, score)
                SELECT \(tenant), response, \(cycle), \(theme), 0.9 FROM unnest(\(responses)::uuid[]) AS given (response)
                """,
                "INSERT INTO collectives (tenant_id, id, cycle_id, theme_id, name) VALUES (\(tenant), \(collective), \(cycle), \(theme), 'A')",
                """
                INSERT INTO memberships (tenant_id, collective_id, participant_id, cycle_id)
                SELECT \(tenant), \(collective), person, \(cycle) FROM unnest(\(people)::uuid[]) AS given (person)
                """,
                """
                INSERT INTO reflections (tenant_id, id, collective_id, phase, went_well, author_participant_id)
                VALUES (\(tenant), \(reflection), \(collective), 'designing_inquiry', 'calls home worked', \(people[0]))
                """,
            ]
            for statement in statements { _ = try await transaction.execute(statement) }
        }
        return Cycle(tenant: tenant, erased: people[0], kept: people[1], keptResponse: responses[1], theme: theme, reflection: reflection)
    }

    @Test func erasingAParticipantRemovesTheirAnswersPlacesAndQuotesAndNothingElse() async throws {
        try await TestDatabase.withApp { database in
            let cycle = try await seed(database)
            let store = ParticipantStore(database: database)
            let receipt = try #require(try await store.erase(tenantID: cycle.tenant, participantID: cycle.erased))
            #expect(receipt.externalID == "educator-1")
            #expect(receipt.surveyResponses == 1 && receipt.memberships == 1 && receipt.quotes == 1)
            #expect(receipt.reflectionsUnattributed == 1)

            let (people, responses, members, size, quotes, author) = try await database.withTenantTransaction(cycle.tenant) { transaction in
                try await transaction.query(
                    """
                    SELECT (SELECT array_agg(id) FROM participants), (SELECT array_agg(id) FROM survey_responses),
                           (SELECT array_agg(participant_id) FROM memberships), t.size,
                           ARRAY(SELECT upper(q ->> 'response_id') FROM jsonb_array_elements(t.quotes) q),
                           (SELECT author_participant_id FROM reflections WHERE id = \(cycle.reflection))
                    FROM themes t WHERE t.id = \(cycle.theme)
                    """
                )[0].decode(([UUID], [UUID], [UUID], Int, [String], UUID?).self)
            }
            #expect(people == [cycle.kept])
            #expect(responses == [cycle.keptResponse])
            #expect(members == [cycle.kept])
            #expect(size == 1)
            #expect(quotes == [cycle.keptResponse.uuidString])
            #expect(author == nil)
            // Gone is gone: a second erasure finds nobody.
            #expect(try await store.erase(tenantID: cycle.tenant, participantID: cycle.erased) == nil)
        }
    }

    @Test func anotherTenantCannotEraseOrDetectAParticipant() async throws {
        try await TestDatabase.withApp { database in
            let cycle = try await seed(database)
            let other = try await TestDatabase.makeTenant(database).id
            #expect(try await ParticipantStore(database: database).erase(tenantID: other, participantID: cycle.kept) == nil)
            let remaining = try await database.withTenantTransaction(cycle.tenant) { transaction in
                try await transaction.query("SELECT count(*)::int FROM participants")[0].decode(Int.self)
            }
            #expect(remaining == 2)
        }
    }
}
