import Foundation
import ILCCore
import PostgresNIO

/// Knowledge-share suggestions, owned by the receiving (target) tenant, and what the
/// job reads to make them.
public struct KnowledgeShareStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// A suggestion to store: the source may be another tenant's collective (then
    /// `sourceTenantID` is set and everything about it is already anonymised).
    public struct PlannedShare: Sendable {
        public let targetCollectiveID: UUID
        public let sourceTenantID: UUID?
        public let sourceCollectiveID: UUID
        public let sourceLabel: String?
        public let score: Double
        /// A JSON object.
        public let reasons: String

        public init(
            targetCollectiveID: UUID, sourceTenantID: UUID?, sourceCollectiveID: UUID, sourceLabel: String?, score: Double,
            reasons: String
        ) {
            self.targetCollectiveID = targetCollectiveID
            self.sourceTenantID = sourceTenantID
            self.sourceCollectiveID = sourceCollectiveID
            self.sourceLabel = sourceLabel
            self.score = score
            self.reasons = reasons
        }
    }

    /// The tenant's cycles that have collectives, oldest first.
    public func cyclesWithCollectives(tenantID: UUID) async throws -> [UUID] {
        try await database.withTenantTransaction(tenantID) { transaction in
            try await transaction.query(
                "SELECT y.id FROM cycles y WHERE EXISTS (SELECT FROM collectives c WHERE c.cycle_id = y.id) ORDER BY y.id"
            ).map { try $0.decode(UUID.self) }
        }
    }

    /// Nil when the tenant has no such cycle.
    public func source(tenantID: UUID, cycleID: UUID) async throws -> SharingSource? {
        try await database.withTenantSnapshot(tenantID) { transaction in
            let heads = try await transaction.query(
                """
                SELECT y.settings::text, n.sharing, n.suppression_threshold
                FROM cycles y JOIN tenants n ON n.id = y.tenant_id WHERE y.id = \(cycleID)
                """)
            guard let (settingsText, sharing, threshold) = try heads.first?.decode((String, String, Int).self) else { return nil }
            let cycle = try CycleSettings(storedJSON: settingsText)
            let indicators = try await Self.indicators(cycleID, in: transaction)
            let collectives = try await transaction.query(
                """
                SELECT c.id, c.name, coalesce(t.catalog_key, t.label), coalesce(p.problem_of_practice, ''),
                    coalesce(p.theory_of_action, ''),
                    ARRAY(SELECT DISTINCT e.category FROM evidence e WHERE e.collective_id = c.id ORDER BY 1)
                FROM collectives c
                LEFT JOIN themes t ON t.id = c.theme_id
                LEFT JOIN placemats p ON p.collective_id = c.id
                WHERE c.cycle_id = \(cycleID)
                ORDER BY c.id
                """
            ).map { row in
                let (id, name, theme, problem, theory, categories) = try row.decode((UUID, String, String?, String, String, [String]).self)
                return SharingSource.CollectiveData(
                    id: id, name: name, themeKey: theme, problemOfPractice: problem, theoryOfAction: theory,
                    indicators: indicators[id] ?? [], evidenceCategories: categories)
            }
            let markedPairs = try await transaction.query(
                """
                SELECT k.target_collective_id, k.source_collective_id
                FROM knowledge_shares k JOIN collectives c ON c.id = k.target_collective_id
                WHERE c.cycle_id = \(cycleID) AND k.status <> 'suggested'
                """
            ).map { row -> (target: UUID, source: UUID) in try row.decode((UUID, UUID).self) }
            return SharingSource(
                policy: cycle.sharing(under: SharingPolicy(rawValue: sharing) ?? .none),
                suppressionThreshold: cycle.suppressionThreshold(under: threshold), collectives: collectives,
                markedPairs: markedPairs)
        }
    }

    private static func indicators(_ cycleID: UUID, in transaction: Transaction) async throws -> [UUID: [SharingSource.Indicator]] {
        let rows = try await transaction.query(
            """
            SELECT i.collective_id, i.id, i.name, i.direction, i.baseline, i.baseline_on::text, i.target,
                coalesce(jsonb_agg(jsonb_build_object('date', e.observed_on::text, 'value', e.value, 'sample_size', e.sample_size)
                         ORDER BY e.observed_on) FILTER (WHERE e.value IS NOT NULL), '[]'::jsonb)::text
            FROM indicators i
            JOIN collectives c ON c.id = i.collective_id
            LEFT JOIN evidence e ON e.collective_id = i.collective_id AND e.indicator_id = i.id
            WHERE c.cycle_id = \(cycleID)
            GROUP BY i.tenant_id, i.id
            ORDER BY i.collective_id, i.position, i.id
            """)
        var result: [UUID: [SharingSource.Indicator]] = [:]
        let decoder = JSONDecoder()
        for row in rows {
            let (collective, id, name, direction, baseline, baselineOn, target, observations) =
                try row.decode((UUID, UUID, String, String, Double?, String?, Double?, String).self)
            result[collective, default: []].append(SharingSource.Indicator(
                id: id, name: name, direction: direction, baseline: baseline, baselineOn: baselineOn, target: target,
                observations: try decoder.decode([SharingSource.Observation].self, from: Data(observations.utf8))))
        }
        return result
    }

    /// Replaces the cycle's suggestions nobody acted on with `shares`; a pair someone
    /// accepted or dismissed is kept as it is and not suggested again.
    public func replaceSuggestions(tenantID: UUID, cycleID: UUID, jobID: UUID, shares: [PlannedShare]) async throws {
        try await database.withTenantTransaction(tenantID) { transaction in
            // One run at a time per cycle: two at once would each miss the other's
            // uncommitted inserts and leave both sets.
            guard try await transaction.exists(.cycles, id: cycleID, locking: .noKeyUpdate) else { return }
            try await transaction.query(
                """
                DELETE FROM knowledge_shares k USING collectives c
                WHERE c.id = k.target_collective_id AND c.cycle_id = \(cycleID) AND k.status = 'suggested'
                """)
            guard !shares.isEmpty else { return }
            let none = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
            try await transaction.query(
                """
                INSERT INTO knowledge_shares (tenant_id, id, target_collective_id, source_tenant_id, source_collective_id,
                    source_label, score, reasons, job_id)
                SELECT \(tenantID), ilc_time_ordered_id(), given.target, nullif(given.source_tenant, \(none)), given.source,
                    nullif(given.label, ''), given.score, given.reasons::jsonb, \(jobID)
                FROM unnest(\(shares.map(\.targetCollectiveID))::uuid[], \(shares.map { $0.sourceTenantID ?? none })::uuid[],
                    \(shares.map(\.sourceCollectiveID))::uuid[], \(shares.map { $0.sourceLabel ?? "" })::text[],
                    \(shares.map(\.score))::float8[], \(shares.map(\.reasons))::text[])
                    AS given (target, source_tenant, source, label, score, reasons)
                JOIN collectives c ON c.id = given.target AND c.cycle_id = \(cycleID)
                WHERE NOT EXISTS (SELECT FROM knowledge_shares k
                                  WHERE k.target_collective_id = given.target AND k.source_collective_id = given.source)
                """)
        }
    }
}
