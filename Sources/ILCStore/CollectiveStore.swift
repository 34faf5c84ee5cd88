import Foundation
import ILCCore
import PostgresNIO

/// Collectives and their members, always inside the tenant's transaction.
public struct CollectiveStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public enum Refusal: Error, Sendable, Equatable {
        case notFound
        /// The theme is not one of the collective's cycle.
        case themeNotInCycle
        /// The participant has no intake response in the collective's cycle.
        case participantNotInCycle
        /// The collective already has `capacity` members.
        case full(capacity: Int)
    }

    static let columns = "c.id, c.cycle_id, c.name, c.theme_id, c.phase, c.facilitator, c.created_at, c.updated_at"

    public func create(
        tenantID: UUID, cycleID: UUID, name: String, facilitator: String?, themeID: UUID?
    ) async throws -> Collective {
        try await database.withTenantTransaction(tenantID) { transaction in
            guard try await transaction.exists(.cycles, id: cycleID, locking: .keyShare) else {
                throw Refusal.notFound
            }
            try await Self.checkTheme(themeID, cycle: cycleID, in: transaction)
            let rows = try await transaction.query(
                """
                INSERT INTO collectives AS c (tenant_id, id, cycle_id, name, facilitator, theme_id)
                VALUES (\(tenantID), \(TimeOrderedID.make()), \(cycleID), \(name), \(facilitator), \(themeID))
                RETURNING \(unescaped: Self.columns)
                """)
            return try await Self.withMembers(rows, in: transaction)[0]
        }
    }

    public func find(tenantID: UUID, id: UUID) async throws -> Collective? {
        try await database.withTenantSnapshot(tenantID) { transaction in
            try await Self.find(id, in: transaction)
        }
    }

    /// Newest first (ids are time-ordered), strictly before `cursor`; nil when the tenant
    /// has no such cycle.
    public func list(
        tenantID: UUID, cycleID: UUID, phase: CyclePhase?, themeID: UUID?, before cursor: UUID?, limit: Int
    ) async throws -> [Collective]? {
        try await database.withTenantSnapshot(tenantID) { transaction in
            guard try await transaction.exists(.cycles, id: cycleID) else { return nil }
            let rows = try await transaction.query(
                """
                SELECT \(unescaped: Self.columns) FROM collectives c
                WHERE c.cycle_id = \(cycleID) AND (\(cursor)::uuid IS NULL OR c.id < \(cursor))
                    AND (\(phase?.rawValue)::text IS NULL OR c.phase = \(phase?.rawValue))
                    AND (\(themeID)::uuid IS NULL OR c.theme_id = \(themeID))
                ORDER BY c.id DESC LIMIT \(limit)
                """)
            return try await Self.withMembers(rows, in: transaction)
        }
    }

    /// The fields a facilitator may change.
    public struct Changes: Sendable {
        public var name: String
        public var facilitator: String?
        public var themeID: UUID?
        public var phase: CyclePhase

        public init(_ collective: Collective) {
            name = collective.name
            facilitator = collective.facilitator
            themeID = collective.themeID
            phase = collective.phase
        }
    }

    /// Applies what `decide` returns for the collective as it is (row locked) and its
    /// cycle's phase; `decide` may refuse by throwing.
    public func update(
        tenantID: UUID, id: UUID, _ decide: @Sendable (Collective, _ cyclePhase: CyclePhase) throws -> Changes
    ) async throws -> Collective {
        try await database.withTenantTransaction(tenantID) { transaction in
            guard let current = try await Self.find(id, in: transaction, locking: true) else { throw Refusal.notFound }
            let cyclePhase = try await transaction.query("SELECT phase FROM cycles WHERE id = \(current.cycleID)")
                .first.flatMap { CyclePhase(rawValue: try $0.decode(String.self)) } ?? .gatheringThemes
            let changes = try decide(current, cyclePhase)
            if changes.themeID != current.themeID {
                try await Self.checkTheme(changes.themeID, cycle: current.cycleID, in: transaction)
            }
            try await transaction.query(
                """
                UPDATE collectives SET name = \(changes.name), facilitator = \(changes.facilitator),
                    theme_id = \(changes.themeID), phase = \(changes.phase.rawValue), updated_at = now()
                WHERE id = \(id)
                """)
            guard let updated = try await Self.find(id, in: transaction) else { throw Refusal.notFound }
            return updated
        }
    }

    /// Puts the participant in this collective, taking them out of the one they were in
    /// this cycle, and locks the placement. Never above the cycle's largest group size.
    public func place(tenantID: UUID, collectiveID: UUID, participantID: UUID) async throws -> Collective {
        try await database.withTenantTransaction(tenantID) { transaction in
            // Lock order everywhere: the collective, then the participant.
            guard let collective = try await Self.find(collectiveID, in: transaction, locking: true),
                  try await !transaction.query("SELECT 1 FROM participants WHERE id = \(participantID) FOR UPDATE").isEmpty else {
                throw Refusal.notFound
            }
            guard try await !transaction.query(
                "SELECT 1 FROM survey_responses WHERE cycle_id = \(collective.cycleID) AND participant_id = \(participantID)"
            ).isEmpty else {
                throw Refusal.participantNotInCycle
            }
            if collective.members.contains(where: { $0.participantID == participantID }) { return collective }
            let settings = try await transaction.query("SELECT settings::text FROM cycles WHERE id = \(collective.cycleID)")
            let groupSizeMax = try settings.first.map {
                try CycleSettings(storedJSON: try $0.decode(String.self)).groupSizeMax
            } ?? CycleSettings.largestGroup
            let capacity = min(groupSizeMax, CycleSettings.largestGroup)
            guard collective.members.count < capacity else { throw Refusal.full(capacity: capacity) }
            try await transaction.query(
                "DELETE FROM memberships WHERE cycle_id = \(collective.cycleID) AND participant_id = \(participantID)")
            try await transaction.query(
                """
                INSERT INTO memberships (tenant_id, collective_id, participant_id, cycle_id, locked)
                VALUES (\(tenantID), \(collectiveID), \(participantID), \(collective.cycleID), true)
                """)
            try await transaction.query("UPDATE collectives SET updated_at = now() WHERE id = \(collectiveID)")
            guard let placed = try await Self.find(collectiveID, in: transaction) else { throw Refusal.notFound }
            return placed
        }
    }

    static func checkTheme(_ themeID: UUID?, cycle cycleID: UUID, in transaction: Transaction) async throws {
        guard let themeID else { return }
        guard try await !transaction.query("SELECT 1 FROM themes WHERE id = \(themeID) AND cycle_id = \(cycleID)").isEmpty else {
            throw Refusal.themeNotInCycle
        }
    }

    static func find(_ id: UUID, in transaction: Transaction, locking: Bool = false) async throws -> Collective? {
        let rows = try await transaction.query(
            "SELECT \(unescaped: columns) FROM collectives c WHERE c.id = \(id) \(unescaped: locking ? "FOR UPDATE" : "")")
        return try await withMembers(rows, in: transaction).first
    }

    /// The collectives of `rows` with their members, read in one query for all of them.
    static func withMembers(_ rows: [PostgresRow], in transaction: Transaction) async throws -> [Collective] {
        let ids = try rows.map { try $0.decode(UUID.self, context: .default) }
        guard !ids.isEmpty else { return [] }
        var members: [UUID: [Collective.Member]] = [:]
        for row in try await transaction.query(
            """
            SELECT m.collective_id, p.id, p.external_id, p.name, p.role, p.district, p.school, m.locked
            FROM memberships m JOIN participants p ON p.tenant_id = m.tenant_id AND p.id = m.participant_id
            WHERE m.collective_id = ANY(\(ids))
            ORDER BY p.name, p.id
            """) {
            let (collectiveID, participantID, externalID, name, role, district, school, locked) = try row.decode(
                (UUID, UUID, String, String, String, String, String?, Bool).self)
            guard let participantRole = ParticipantRole(rawValue: role) else {
                throw StoreError.corrupt("participant \(participantID) has role '\(role)'")
            }
            members[collectiveID, default: []].append(Collective.Member(
                participantID: participantID, externalID: externalID, name: name, role: participantRole,
                district: district, school: school, locked: locked))
        }
        return try rows.map { row in
            let (id, cycleID, name, themeID, phase, facilitator, createdAt, updatedAt) = try row.decode(
                (UUID, UUID, String, UUID?, String, String?, Date, Date).self)
            guard let collectivePhase = CyclePhase(rawValue: phase) else {
                throw StoreError.corrupt("collective \(id) has phase '\(phase)'")
            }
            return Collective(
                id: id, cycleID: cycleID, name: name, themeID: themeID, phase: collectivePhase, facilitator: facilitator,
                members: members[id] ?? [], createdAt: createdAt, updatedAt: updatedAt)
        }
    }
}
