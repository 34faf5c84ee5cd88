import Foundation
import ILCCore
import PostgresNIO

/// Collectives' inquiry placemats and their indicators, versioned for optimistic
/// concurrency: a write names the version it read and fails if another came first.
public struct PlacematStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public enum Refusal: Error, Sendable, Equatable {
        case notFound
        /// The write was based on `expected`; the placemat is at `current`.
        case stale(expected: Int, current: Int)
        /// An indicator id that is not one of this placemat's.
        case unknownIndicator(index: Int)
        /// Evidence was recorded against an indicator the write leaves out.
        case indicatorHasEvidence(UUID)
    }

    /// Nil when the tenant has no such collective; version 0 when never written.
    public func find(tenantID: UUID, collectiveID: UUID) async throws -> Placemat? {
        try await database.withTenantSnapshot(tenantID) { transaction in
            guard try await transaction.exists(.collectives, id: collectiveID) else {
                return nil
            }
            return try await Self.placemat(collectiveID, in: transaction)
        }
    }

    /// Replaces the placemat: indicators with an id are kept and updated, new ones
    /// added, the rest removed (refused if they have evidence). `expectedVersion` nil
    /// writes whatever the current version is.
    public func write(
        tenantID: UUID, collectiveID: UUID, expectedVersion: Int?, draft: PlacematDraft
    ) async throws -> Placemat {
        try await database.withTenantTransaction(tenantID) { transaction in
            // The collective's row lock serializes writers of one placemat.
            guard try await transaction.exists(.collectives, id: collectiveID, locking: .update) else {
                throw Refusal.notFound
            }
            let current = try await transaction.query("SELECT version FROM placemats WHERE collective_id = \(collectiveID)")
                .first.map { try $0.decode(Int.self) } ?? 0
            if let expectedVersion, expectedVersion != current {
                throw Refusal.stale(expected: expectedVersion, current: current)
            }
            let existing = Set(try await transaction.query("SELECT id FROM indicators WHERE collective_id = \(collectiveID)")
                .map { try $0.decode(UUID.self) })
            for (index, indicator) in draft.indicators.enumerated() {
                if let id = indicator.id, !existing.contains(id) { throw Refusal.unknownIndicator(index: index) }
            }
            let removed = Array(existing.subtracting(draft.indicators.compactMap(\.id)))
            if let withEvidence = try await transaction.query(
                "SELECT indicator_id FROM evidence WHERE indicator_id = ANY(\(removed)) LIMIT 1"
            ).first {
                throw Refusal.indicatorHasEvidence(try withEvidence.decode(UUID.self))
            }
            try await transaction.query(
                """
                INSERT INTO placemats (tenant_id, collective_id, problem_of_practice, priorities, theory_of_action, version)
                VALUES (\(tenantID), \(collectiveID), \(draft.problemOfPractice), \(draft.priorities), \(draft.theoryOfAction), 1)
                ON CONFLICT (tenant_id, collective_id) DO UPDATE SET
                    problem_of_practice = excluded.problem_of_practice, priorities = excluded.priorities,
                    theory_of_action = excluded.theory_of_action, version = placemats.version + 1, updated_at = now()
                """)
            try await transaction.query("DELETE FROM indicators WHERE id = ANY(\(removed))")
            // Every indicator in one statement. Empty strings and NaN stand for "not given":
            // the array parameters carry no NULLs.
            let indicators = draft.indicators
            let fresh = TimeOrderedID.ascending(indicators.count)
            try await transaction.query(
                """
                INSERT INTO indicators AS i (tenant_id, id, collective_id, kind, name, description, category, unit,
                    direction, baseline, baseline_on, target, target_on, position)
                SELECT \(tenantID), id, \(collectiveID), kind, name, description, nullif(category, ''), nullif(unit, ''),
                    direction, CASE WHEN baseline = 'NaN' THEN NULL ELSE baseline END, nullif(baseline_on, '')::date,
                    CASE WHEN target = 'NaN' THEN NULL ELSE target END, nullif(target_on, '')::date, position - 1
                FROM unnest(\(indicators.indices.map { indicators[$0].id ?? fresh[$0] })::uuid[],
                    \(indicators.map(\.kind.rawValue))::text[], \(indicators.map(\.name))::text[],
                    \(indicators.map(\.description))::text[], \(indicators.map { $0.category?.rawValue ?? "" })::text[],
                    \(indicators.map { $0.unit ?? "" })::text[], \(indicators.map(\.direction.rawValue))::text[],
                    \(indicators.map { $0.baseline ?? .nan })::float8[], \(indicators.map { $0.baselineOn ?? "" })::text[],
                    \(indicators.map { $0.target ?? .nan })::float8[], \(indicators.map { $0.targetOn ?? "" })::text[])
                    WITH ORDINALITY AS given (id, kind, name, description, category, unit, direction, baseline, baseline_on,
                        target, target_on, position)
                ON CONFLICT (tenant_id, id) DO UPDATE SET
                    kind = excluded.kind, name = excluded.name, description = excluded.description,
                    category = excluded.category, unit = excluded.unit, direction = excluded.direction,
                    baseline = excluded.baseline, baseline_on = excluded.baseline_on, target = excluded.target,
                    target_on = excluded.target_on, position = excluded.position, updated_at = now()
                """)
            return try await Self.placemat(collectiveID, in: transaction)
        }
    }

    static func placemat(_ collectiveID: UUID, in transaction: Transaction) async throws -> Placemat {
        let indicators = try await transaction.query(
            """
            SELECT id, name, kind, description, category, unit, direction, baseline, to_char(baseline_on, 'YYYY-MM-DD'),
                target, to_char(target_on, 'YYYY-MM-DD')
            FROM indicators WHERE collective_id = \(collectiveID) ORDER BY position, id
            """
        ).map { row in
            let (id, name, kind, description, category, unit, direction, baseline, baselineOn, target, targetOn) = try row.decode(
                (UUID, String, String, String, String?, String?, String, Double?, String?, Double?, String?).self)
            guard let indicatorKind = IndicatorKind(rawValue: kind),
                  let indicatorDirection = IndicatorDraft.Direction(rawValue: direction) else {
                throw StoreError.corrupt("indicator \(id) has kind '\(kind)' and direction '\(direction)'")
            }
            return IndicatorDraft(
                id: id, name: name, kind: indicatorKind, description: description,
                category: category.flatMap(EvidenceCategory.init(rawValue:)), unit: unit, direction: indicatorDirection,
                baseline: baseline, baselineOn: baselineOn, target: target, targetOn: targetOn)
        }
        guard let row = try await transaction.query(
            """
            SELECT version, problem_of_practice, priorities, theory_of_action, updated_at
            FROM placemats WHERE collective_id = \(collectiveID)
            """
        ).first else {
            return Placemat(collectiveID: collectiveID, version: 0, content: PlacematDraft(indicators: indicators), updatedAt: nil)
        }
        let (version, problem, priorities, theory, updatedAt) = try row.decode((Int, String, [String], String, Date).self)
        return Placemat(
            collectiveID: collectiveID, version: version,
            content: PlacematDraft(problemOfPractice: problem, priorities: priorities, theoryOfAction: theory, indicators: indicators),
            updatedAt: updatedAt)
    }
}
