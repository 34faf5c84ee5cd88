import Foundation
import ILCCore
import PostgresNIO

/// Intake survey responses and their participants, always inside the tenant's
/// transaction.
public struct SurveyResponseStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// How a submission changed the cycle.
    public struct Outcome: Sendable, Equatable {
        public var created: Int
        public var updated: Int
    }

    /// Stores `responses` for the cycle in one statement: participants are matched by
    /// external id (updated, never duplicated), and a participant's earlier response in
    /// this cycle is replaced. External ids must be unique within one call. Nil when the
    /// tenant has no such cycle.
    public func submit(tenantID: UUID, cycleID: UUID, responses: [SurveyResponseDraft]) async throws -> Outcome? {
        guard Set(responses.map(\.participant.externalID)).count == responses.count else {
            throw StoreError.conflict("a participant's external id appears twice in one submission")
        }
        let columns = IntakeColumns(responses)
        return try await database.withTenantTransaction(tenantID) { transaction in
            // KEY SHARE: the cycle cannot be deleted under a submission that is adding to it.
            guard try await transaction.exists(.cycles, id: cycleID, locking: .keyShare) else { return nil }
            guard !responses.isEmpty else { return Outcome(created: 0, updated: 0) }
            // Empty strings stand for "not given": the array parameters carry no NULLs.
            let rows = try await transaction.query(
                """
                WITH input AS (
                    SELECT * FROM unnest(\(columns.responseIDs)::uuid[], \(columns.externalIDs)::text[], \(columns.names)::text[],
                        \(columns.emails)::text[], \(columns.roles)::text[], \(columns.districts)::text[], \(columns.schools)::text[],
                        \(columns.regions)::text[], \(columns.timeZones)::text[], \(columns.focusStatements)::text[],
                        \(columns.goals)::text[], \(columns.preferences)::text[], \(columns.submittedAt)::timestamptz[])
                    AS given (response_id, external_id, name, email, role, district, school, region, time_zone,
                        focus_statement, goals, preferences, submitted_at)
                ), people AS (
                    INSERT INTO participants AS p (tenant_id, external_id, name, email, role, district, school, region, time_zone)
                    SELECT \(tenantID), external_id, name, nullif(email, ''), role, district, nullif(school, ''),
                        nullif(region, ''), nullif(time_zone, '')
                    FROM input
                    ON CONFLICT (tenant_id, external_id) DO UPDATE SET
                        name = excluded.name, email = excluded.email, role = excluded.role, district = excluded.district,
                        school = excluded.school, region = excluded.region, time_zone = excluded.time_zone, updated_at = now()
                    RETURNING p.id, p.external_id
                )
                INSERT INTO survey_responses AS s
                    (tenant_id, id, cycle_id, participant_id, focus_statement, improvement_goals, theme_preferences, submitted_at)
                SELECT \(tenantID), input.response_id, \(cycleID), people.id, input.focus_statement,
                    ARRAY(SELECT jsonb_array_elements_text(input.goals::jsonb)),
                    ARRAY(SELECT jsonb_array_elements_text(input.preferences::jsonb)), input.submitted_at
                FROM input JOIN people USING (external_id)
                ON CONFLICT (tenant_id, cycle_id, participant_id) DO UPDATE SET
                    focus_statement = excluded.focus_statement, improvement_goals = excluded.improvement_goals,
                    theme_preferences = excluded.theme_preferences, submitted_at = excluded.submitted_at, updated_at = now()
                RETURNING s.xmax = 0
                """)
            let created = try rows.reduce(0) { $0 + (try $1.decode(Bool.self) ? 1 : 0) }
            return Outcome(created: created, updated: rows.count - created)
        }
    }

    /// Newest first (ids are time-ordered), strictly before `cursor`. Nil when the tenant
    /// has no such cycle.
    public func list(
        tenantID: UUID, cycleID: UUID, filter: SurveyResponseFilter, before cursor: UUID?, limit: Int
    ) async throws -> [SurveyResponse]? {
        try await database.withTenantSnapshot(tenantID) { transaction in
            guard try await transaction.exists(.cycles, id: cycleID) else { return nil }
            return try await transaction.query(
                """
                SELECT s.id, s.cycle_id, p.id, p.external_id, p.name, p.email, p.role, p.district, p.school, p.region,
                    p.time_zone, s.focus_statement, s.improvement_goals, s.theme_preferences, s.submitted_at,
                    s.created_at, s.updated_at
                FROM survey_responses s JOIN participants p ON p.tenant_id = s.tenant_id AND p.id = s.participant_id
                WHERE s.cycle_id = \(cycleID)
                    AND (\(cursor)::uuid IS NULL OR s.id < \(cursor))
                    AND (\(filter.role?.rawValue)::text IS NULL OR p.role = \(filter.role?.rawValue))
                    AND (\(filter.district)::text IS NULL OR p.district = \(filter.district))
                    AND (\(filter.school)::text IS NULL OR p.school = \(filter.school))
                    AND (\(filter.region)::text IS NULL OR p.region = \(filter.region))
                    AND (\(filter.externalID)::text IS NULL OR p.external_id = \(filter.externalID))
                ORDER BY s.id DESC LIMIT \(limit)
                """
            ).map(Self.response)
        }
    }

    static func response(_ row: PostgresRow) throws -> SurveyResponse {
        let (id, cycleID, participantID, externalID, name, email, role, district, school, region, timeZone,
             focusStatement, goals, preferences, submittedAt, createdAt, updatedAt) = try row.decode(
            (UUID, UUID, UUID, String, String, String?, String, String, String?, String?, String?,
             String, [String], [String], Date, Date, Date).self)
        guard let participantRole = ParticipantRole(rawValue: role) else {
            throw StoreError.corrupt("participant \(participantID) has role '\(role)'")
        }
        return SurveyResponse(
            id: id, cycleID: cycleID, participantID: participantID,
            participant: ParticipantDraft(
                externalID: externalID, name: name, email: email, role: participantRole, district: district,
                school: school, region: region, timeZone: timeZone),
            focusStatement: focusStatement, improvementGoals: goals, themePreferences: preferences,
            submittedAt: submittedAt, createdAt: createdAt, updatedAt: updatedAt)
    }
}

/// A submission as one array per column, the shape `unnest` takes: one statement
/// stores the whole batch, whatever its size.
struct IntakeColumns {
    var responseIDs: [UUID] = []
    var externalIDs: [String] = []
    var names: [String] = []
    var emails: [String] = []
    var roles: [String] = []
    var districts: [String] = []
    var schools: [String] = []
    var regions: [String] = []
    var timeZones: [String] = []
    var focusStatements: [String] = []
    var goals: [String] = []
    var preferences: [String] = []
    var submittedAt: [Date] = []

    init(_ responses: [SurveyResponseDraft]) {
        let received = Date()
        responseIDs = TimeOrderedID.ascending(responses.count, at: received)
        for response in responses {
            let participant = response.participant
            externalIDs.append(participant.externalID)
            names.append(participant.name)
            emails.append(participant.email ?? "")
            roles.append(participant.role.rawValue)
            districts.append(participant.district)
            schools.append(participant.school ?? "")
            regions.append(participant.region ?? "")
            timeZones.append(participant.timeZone ?? "")
            focusStatements.append(response.focusStatement)
            goals.append(Self.jsonArray(response.improvementGoals))
            preferences.append(Self.jsonArray(response.themePreferences))
            submittedAt.append(response.submittedAt ?? received)
        }
    }

    /// A JSON array of strings (RFC 8259 escaping), written directly: a JSONEncoder per
    /// row cost more than the rest of the row's preparation.
    static func jsonArray(_ items: [String]) -> String {
        guard !items.isEmpty else { return "[]" }
        var text = "["
        for (index, item) in items.enumerated() {
            if index > 0 { text += "," }
            text += "\""
            for scalar in item.unicodeScalars {
                switch scalar {
                case "\"": text += "\\\""
                case "\\": text += "\\\\"
                case "\n": text += "\\n"
                case "\r": text += "\\r"
                case "\t": text += "\\t"
                case _ where scalar.value < 0x20:
                    text += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                        + String(scalar.value, radix: 16)
                default: text.unicodeScalars.append(scalar)
                }
            }
            text += "\""
        }
        return text + "]"
    }
}
