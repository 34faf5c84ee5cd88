import Foundation
import ILCCore
import PostgresNIO

extension CollectiveStore {
    public enum FormationRefusal: Error, Sendable, Equatable {
        case cycleNotFound
        /// A facilitator locked or moved someone after the plan was made.
        case locksChanged
        /// Collectives the run would replace already hold inquiry work (placemats,
        /// indicators, reflections).
        case collectivesInUse(count: Int)
        /// Themes were detected again after the plan was made: its themes are gone.
        case themesChanged
    }

    /// Everything group formation needs of the cycle; nil when the tenant has no such cycle.
    public func formationSource(tenantID: UUID, cycleID: UUID) async throws -> FormationSource? {
        try await database.withTenantSnapshot(tenantID) { transaction in
            guard let cycle = try await transaction.query(
                "SELECT \(unescaped: CycleStore.columns) FROM cycles WHERE id = \(cycleID)").first.map(CycleStore.cycle) else {
                return nil
            }
            let themeRows = try await transaction.query(
                """
                SELECT id, label, catalog_key, approved_at IS NOT NULL,
                    EXISTS (SELECT 1 FROM memberships m JOIN collectives c ON c.id = m.collective_id
                            WHERE c.theme_id = t.id AND m.locked)
                FROM themes t WHERE cycle_id = \(cycleID) ORDER BY id
                """
            ).map { try $0.decode((UUID, String, String?, Bool, Bool).self) }
            // Approved themes when there are any (and those locked collectives hold).
            let anyApproved = themeRows.contains { $0.3 }
            let themes = themeRows.filter { !anyApproved || $0.3 || $0.4 }.map {
                FormationSource.ThemeChoice(id: $0.0, label: $0.1, catalogKey: $0.2)
            }
            let participants = try await transaction.query(
                """
                SELECT p.id, p.role, p.district, p.region, p.time_zone, r.theme_preferences, a.theme_id
                FROM survey_responses r
                JOIN participants p ON p.id = r.participant_id
                LEFT JOIN theme_assignments a ON a.response_id = r.id
                WHERE r.cycle_id = \(cycleID)
                ORDER BY p.id
                """
            ).map { row in
                let (id, role, district, region, timeZone, preferences, detected) =
                    try row.decode((UUID, String, String, String?, String?, [String], UUID?).self)
                return FormationSource.Participant(
                    id: id, role: role, district: district, region: region, timeZone: timeZone, preferences: preferences,
                    detectedThemeID: detected)
            }
            return FormationSource(
                cycle: cycle, themes: themes, participants: participants,
                lockedCollectives: try await Self.lockedCollectives(cycleID, in: transaction))
        }
    }

    /// Stores the plan in one transaction: the last run's collectives go (unless a
    /// facilitator locked someone into them: those stay, with their locked members),
    /// every unlocked membership of the cycle goes, then the planned collectives and
    /// memberships are written.
    public func replaceFormation(tenantID: UUID, cycleID: UUID, jobID: UUID, plan: FormationPlan) async throws {
        try await database.withTenantTransaction(tenantID) { transaction in
            // One run at a time per cycle, and no facilitator edit in between.
            guard try await transaction.exists(.cycles, id: cycleID, locking: .update) else {
                throw FormationRefusal.cycleNotFound
            }
            let locked = try await Self.lockedCollectives(cycleID, in: transaction)
            guard Self.lockKey(locked) == Self.lockKey(plan.lockedCollectives) else { throw FormationRefusal.locksChanged }
            // Theme detection replaces a cycle's themes under the same lock; a plan made
            // before that names themes that no longer exist.
            let planned = Array(Set(plan.collectives.map(\.themeID)))
            let present = try await transaction.query(
                "SELECT count(*) FROM themes WHERE cycle_id = \(cycleID) AND id = ANY(\(planned)::uuid[])")[0].decode(Int.self)
            guard present == planned.count else { throw FormationRefusal.themesChanged }
            let inUse = try await transaction.query(
                """
                SELECT count(*) FROM collectives c WHERE c.cycle_id = \(cycleID) AND c.formation_job_id IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.collective_id = c.id AND m.locked)
                    AND (EXISTS (SELECT 1 FROM placemats p WHERE p.collective_id = c.id)
                         OR EXISTS (SELECT 1 FROM indicators i WHERE i.collective_id = c.id)
                         OR EXISTS (SELECT 1 FROM reflections f WHERE f.collective_id = c.id))
                """)[0].decode(Int.self)
            guard inUse == 0 else { throw FormationRefusal.collectivesInUse(count: inUse) }
            try await transaction.query(
                """
                DELETE FROM collectives c WHERE c.cycle_id = \(cycleID) AND c.formation_job_id IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.collective_id = c.id AND m.locked)
                """)
            try await transaction.query("DELETE FROM memberships WHERE cycle_id = \(cycleID) AND NOT locked")
            try await Self.write(plan, keeping: Set(locked.map(\.id)), tenantID: tenantID, cycleID: cycleID, jobID: jobID, in: transaction)
        }
    }

    private static func write(
        _ plan: FormationPlan, keeping kept: Set<UUID>, tenantID: UUID, cycleID: UUID, jobID: UUID, in transaction: Transaction
    ) async throws {
        let new = plan.collectives.filter { !kept.contains($0.id) }
        if !new.isEmpty {
            try await transaction.query(
                """
                INSERT INTO collectives (tenant_id, id, cycle_id, theme_id, name, formation_job_id)
                SELECT \(tenantID), id, \(cycleID), theme_id, name, \(jobID)
                FROM unnest(\(new.map(\.id))::uuid[], \(new.map(\.themeID))::uuid[], \(new.map(\.name))::text[])
                    AS given (id, theme_id, name)
                """)
        }
        // Kept collectives take the theme the run gave them (the one locked, or chosen).
        let keptPlans = plan.collectives.filter { kept.contains($0.id) }
        if !keptPlans.isEmpty {
            try await transaction.query(
                """
                UPDATE collectives c SET theme_id = given.theme_id, updated_at = now()
                FROM unnest(\(keptPlans.map(\.id))::uuid[], \(keptPlans.map(\.themeID))::uuid[]) AS given (id, theme_id)
                WHERE c.id = given.id
                """)
        }
        var collectiveIDs: [UUID] = []
        var participantIDs: [UUID] = []
        let lockedMembers = Set(plan.lockedCollectives.flatMap(\.members))
        for collective in plan.collectives {
            for member in collective.members where !lockedMembers.contains(member) {
                collectiveIDs.append(collective.id)
                participantIDs.append(member)
            }
        }
        guard !collectiveIDs.isEmpty else { return }
        try await transaction.query(
            """
            INSERT INTO memberships (tenant_id, collective_id, participant_id, cycle_id, locked)
            SELECT \(tenantID), collective_id, participant_id, \(cycleID), false
            FROM unnest(\(collectiveIDs)::uuid[], \(participantIDs)::uuid[]) AS given (collective_id, participant_id)
            """)
    }

    static func lockedCollectives(_ cycleID: UUID, in transaction: Transaction) async throws -> [FormationSource.LockedCollective] {
        let rows = try await transaction.query(
            """
            SELECT c.id, c.theme_id, array_agg(m.participant_id ORDER BY m.participant_id)
            FROM memberships m JOIN collectives c ON c.id = m.collective_id
            WHERE m.cycle_id = \(cycleID) AND m.locked
            GROUP BY c.id, c.theme_id ORDER BY c.id
            """)
        return try rows.map { row in
            let (id, theme, members) = try row.decode((UUID, UUID?, [UUID]).self)
            return FormationSource.LockedCollective(id: id, themeID: theme, members: members)
        }
    }

    private static func lockKey(_ collectives: [FormationSource.LockedCollective]) -> [String] {
        collectives.map { "\($0.id)|\($0.themeID?.uuidString ?? "")|\($0.members.map(\.uuidString).sorted().joined(separator: ","))" }
            .sorted()
    }
}
