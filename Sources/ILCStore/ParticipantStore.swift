import Foundation
import PostgresNIO

/// Participants as people with a right to be forgotten: intake creates them (see
/// `SurveyResponseStore`), this store erases them.
public struct ParticipantStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Deletes the participant and everything that is theirs in one transaction: their
    /// answers and theme assignments, memberships (the foreign keys' cascades), and the
    /// theme quotes taken from their answers, with the themes' sizes brought down to
    /// match. Reflections they wrote stay with their collective, without an author.
    /// Nil when the tenant has no such participant.
    public func erase(tenantID: UUID, participantID: UUID) async throws -> ParticipantErasure? {
        try await database.withTenantTransaction(tenantID) { transaction in
            // Everything the receipt counts, in the round trip that locks the participant.
            guard let row = try await transaction.query(
                """
                SELECT p.external_id,
                       ARRAY(SELECT s.id FROM survey_responses s WHERE s.participant_id = p.id),
                       (SELECT count(*) FROM memberships m WHERE m.participant_id = p.id)::int,
                       (SELECT count(*) FROM reflections r WHERE r.author_participant_id = p.id)::int
                FROM participants p WHERE p.id = \(participantID) FOR UPDATE
                """
            ).first else {
                return nil
            }
            let (externalID, responses, memberships, reflections) = try row.decode((String, [UUID], Int, Int).self)
            let quotes = try await Self.removeQuotes(of: responses, in: transaction)
            guard try await transaction.execute("DELETE FROM participants WHERE id = \(participantID)") == 1 else {
                throw StoreError.conflict("participant \(participantID) vanished while it was being erased")
            }
            return ParticipantErasure(
                participantID: participantID, externalID: externalID, surveyResponses: responses.count,
                memberships: memberships, quotes: quotes, reflectionsUnattributed: reflections, erasedAt: Date())
        }
    }

    /// Takes the answers' quotes out of their cycles' themes and their assignments out
    /// of the themes' sizes; answers how many quotes went.
    private static func removeQuotes(of responses: [UUID], in transaction: Transaction) async throws -> Int {
        guard !responses.isEmpty else { return 0 }
        let rows = try await transaction.query(
            """
            WITH affected AS (
                SELECT t.id, t.quotes,
                       (SELECT count(*) FROM theme_assignments a
                        WHERE a.theme_id = t.id AND a.response_id = ANY (\(responses)::uuid[]))::int AS assigned,
                       (SELECT count(*) FROM jsonb_array_elements(t.quotes) q
                        WHERE (q ->> 'response_id')::uuid = ANY (\(responses)::uuid[]))::int AS quoted
                FROM themes t
                WHERE t.cycle_id IN (SELECT cycle_id FROM survey_responses WHERE id = ANY (\(responses)::uuid[]))
            )
            UPDATE themes t SET
                size = greatest(t.size - affected.assigned, 0),
                quotes = coalesce((SELECT jsonb_agg(q ORDER BY position) FROM jsonb_array_elements(t.quotes)
                                   WITH ORDINALITY AS kept (q, position)
                                   WHERE NOT coalesce((q ->> 'response_id')::uuid = ANY (\(responses)::uuid[]), false)),
                                  '[]'::jsonb),
                updated_at = now()
            FROM affected
            WHERE t.id = affected.id AND (affected.assigned > 0 OR affected.quoted > 0)
            RETURNING affected.quoted
            """)
        return try rows.reduce(0) { $0 + (try $1.decode(Int.self)) }
    }
}
