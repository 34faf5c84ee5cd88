import Foundation
import ILCCore
import PostgresNIO

/// Cycles, always inside their tenant's transaction.
public struct CycleStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    static let columns = """
        id, name, phase, to_char(starts_on, 'YYYY-MM-DD'), to_char(ends_on, 'YYYY-MM-DD'), settings::text,
        created_at, updated_at
        """

    public func create(tenantID: UUID, name: String, startsOn: String?, endsOn: String?, settings: CycleSettings) async throws -> Cycle {
        let settingsJSON = try Self.json(settings)
        return try await database.withTenantTransaction(tenantID) { transaction in
            let rows = try await transaction.query(
                """
                INSERT INTO cycles (tenant_id, id, name, starts_on, ends_on, settings)
                VALUES (\(tenantID), \(TimeOrderedID.make()), \(name), \(startsOn)::date, \(endsOn)::date, \(settingsJSON)::jsonb)
                RETURNING \(unescaped: Self.columns)
                """)
            return try Self.cycle(rows[0])
        }
    }

    public func find(tenantID: UUID, id: UUID) async throws -> Cycle? {
        try await database.withTenantTransaction(tenantID) { transaction in
            try await transaction.query("SELECT \(unescaped: Self.columns) FROM cycles WHERE id = \(id)").first.map(Self.cycle)
        }
    }

    /// Newest first (ids are time-ordered), strictly before `cursor`.
    public func list(tenantID: UUID, before cursor: UUID?, limit: Int) async throws -> [Cycle] {
        try await database.withTenantTransaction(tenantID) { transaction in
            try await transaction.query(
                """
                SELECT \(unescaped: Self.columns) FROM cycles
                WHERE \(cursor)::uuid IS NULL OR id < \(cursor)
                ORDER BY id DESC LIMIT \(limit)
                """
            ).map(Self.cycle)
        }
    }

    /// Applies `changes` to the current row with `decide`, which sees the cycle as it
    /// is (row locked) and may refuse; returns nil when there is no such cycle.
    public func update(
        tenantID: UUID, id: UUID, _ decide: @Sendable (Cycle) throws -> Cycle
    ) async throws -> Cycle? {
        try await database.withTenantTransaction(tenantID) { transaction in
            guard let current = try await transaction.query(
                "SELECT \(unescaped: Self.columns) FROM cycles WHERE id = \(id) FOR UPDATE"
            ).first.map(Self.cycle) else {
                return nil
            }
            let next = try decide(current)
            let settingsJSON = try Self.json(next.settings)
            let rows = try await transaction.query(
                """
                UPDATE cycles SET name = \(next.name), phase = \(next.phase.rawValue), starts_on = \(next.startsOn)::date,
                    ends_on = \(next.endsOn)::date, settings = \(settingsJSON)::jsonb, updated_at = now()
                WHERE id = \(id)
                RETURNING \(unescaped: Self.columns)
                """)
            return try Self.cycle(rows[0])
        }
    }

    private static func json(_ settings: CycleSettings) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(settings), as: UTF8.self)
    }

    static func cycle(_ row: PostgresRow) throws -> Cycle {
        let (id, name, phase, startsOn, endsOn, settings, createdAt, updatedAt) = try row.decode(
            (UUID, String, String, String?, String?, String, Date, Date).self)
        guard let cyclePhase = CyclePhase(rawValue: phase) else {
            throw StoreError.corrupt("cycle \(id) has phase '\(phase)'")
        }
        let decoded = try CycleSettings(storedJSON: settings)
        return Cycle(
            id: id, name: name, phase: cyclePhase, startsOn: startsOn, endsOn: endsOn, settings: decoded,
            createdAt: createdAt, updatedAt: updatedAt)
    }
}
