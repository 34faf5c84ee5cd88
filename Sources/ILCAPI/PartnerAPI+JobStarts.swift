import Foundation
import ILCQueue
import ILCStore
import OpenAPIRuntime

/// The operations that start long-running work: each checks the cycle, queues one job
/// in the same tenant transaction and answers `202` with it.
extension PartnerAPI {
    func startThemeDetection(_ input: Operations.StartThemeDetection.Input) async throws -> Operations.StartThemeDetection.Output {
        var request: Components.Schemas.ThemeDetectionRequest?
        if case .json(let body)? = input.body { request = body }
        if let seed = request?.seed, seed < 0 { return .badRequest(Self.invalid("/seed", "must not be negative")) }
        if let maxThemes = request?.maxThemes, !(2...50).contains(maxThemes) {
            return .badRequest(Self.invalid("/max_themes", "must be between 2 and 50"))
        }
        var payload = Self.seeded(request?.seed)
        payload["max_themes"] = request?.maxThemes ?? 12
        guard let job = try await start("theme-detection", cycle: input.path.cycleId, payload: payload) else {
            return .notFound(.init(body: .applicationProblemJson(APIProblem.notFound().document)))
        }
        return .accepted(job)
    }

    func startGroupFormation(_ input: Operations.StartGroupFormation.Input) async throws -> Operations.StartGroupFormation.Output {
        var request: Components.Schemas.GroupFormationRequest?
        if case .json(let body)? = input.body { request = body }
        if let seed = request?.seed, seed < 0 { return .badRequest(Self.invalid("/seed", "must not be negative")) }
        var problems: [APIProblem.FieldError] = []
        let avoid = Self.pairs(request?.avoid, name: "avoid", problems: &problems)
        let together = Self.pairs(request?.together, name: "together", problems: &problems)
        if !problems.isEmpty { return .badRequest(.init(body: .applicationProblemJson(APIProblem.invalid(problems).document))) }
        var payload = Self.seeded(request?.seed)
        if !avoid.isEmpty { payload["avoid"] = avoid.map { $0.map { $0.uuidString.lowercased() } } }
        if !together.isEmpty { payload["together"] = together.map { $0.map { $0.uuidString.lowercased() } } }
        let named = Array(Set((avoid + together).flatMap { $0 }))
        do {
            guard let job = try await start("group-formation", cycle: input.path.cycleId, payload: payload, check: { transaction, cycle in
                guard !named.isEmpty else { return }
                let known = Set(try await transaction.query(
                    "SELECT participant_id FROM survey_responses WHERE cycle_id = \(cycle) AND participant_id = ANY(\(named))"
                ).map { try $0.decode(UUID.self) })
                let unknown = Self.pointers(avoid, name: "avoid", outside: known) + Self.pointers(together, name: "together", outside: known)
                if !unknown.isEmpty { throw APIProblem.unfit(unknown) }
            }) else {
                return .notFound(.init(body: .applicationProblemJson(APIProblem.notFound().document)))
            }
            return .accepted(job)
        } catch let problem as APIProblem where problem.status == .unprocessableContent {
            return .unprocessableContent(.init(body: .applicationProblemJson(problem.document)))
        }
    }

    /// Pairs as UUIDs; every malformed one is a problem naming it.
    private static func pairs(_ given: [[String]]?, name: String, problems: inout [APIProblem.FieldError]) -> [[UUID]] {
        (given ?? []).enumerated().compactMap { index, pair in
            let ids = pair.compactMap(UUID.init(uuidString:))
            guard pair.count == 2, ids.count == 2 else {
                problems.append(.init(pointer: "/\(name)/\(index)", detail: "must be two participant ids"))
                return nil
            }
            guard ids[0] != ids[1] else {
                problems.append(.init(pointer: "/\(name)/\(index)", detail: "names the same participant twice"))
                return nil
            }
            return ids
        }
    }

    /// Where pairs name someone without an intake response in the cycle.
    private static func pointers(_ pairs: [[UUID]], name: String, outside known: Set<UUID>) -> [APIProblem.FieldError] {
        pairs.enumerated().flatMap { index, pair in
            pair.enumerated().filter { !known.contains($0.element) }.map { position, _ in
                APIProblem.FieldError(pointer: "/\(name)/\(index)/\(position)", detail: "is no participant of this cycle")
            }
        }
    }

    func startKnowledgeSharing(_ input: Operations.StartKnowledgeSharing.Input) async throws -> Operations.StartKnowledgeSharing.Output {
        guard case .json(let body) = input.body else { throw APIProblem.invalid("", "expected a JSON body") }
        guard let job = try await start("knowledge-sharing", cycle: body.cycleId, payload: [:]) else {
            return .notFound(.init(body: .applicationProblemJson(APIProblem.notFound().document)))
        }
        return .accepted(job)
    }

    func startReport(_ input: Operations.StartReport.Input) async throws -> Operations.StartReport.Output {
        guard case .json(let body) = input.body else { throw APIProblem.invalid("", "expected a JSON body") }
        var payload: [String: Any] = ["kind": body.kind.rawValue, "format": (body.format ?? .html).rawValue]
        // The one parent the kind needs, checked in the enqueueing transaction.
        let needed: (field: String, table: Transaction.ParentTable, text: String?)? = switch body.kind {
        case .collectiveProgress: ("collective_id", .collectives, body.collectiveId)
        case .cycleSummary: ("cycle_id", .cycles, body.cycleId)
        case .tenantOverview: nil
        }
        var parent: (table: Transaction.ParentTable, id: UUID)?
        if let needed {
            guard let text = needed.text else { return Self.unfit("/\(needed.field)", "is needed for a \(body.kind.rawValue) report") }
            guard let id = UUID(uuidString: text) else { return .badRequest(Self.invalid("/\(needed.field)", "must be a UUID")) }
            payload[needed.field] = id.uuidString.lowercased()
            parent = (needed.table, id)
        }
        guard let job = try await start("report-generation", payload: payload, check: { [parent] transaction in
            guard let parent else { return true }
            return try await transaction.exists(parent.table, id: parent.id, locking: .share)
        }) else {
            return .notFound(.init(body: .applicationProblemJson(APIProblem.notFound().document)))
        }
        return .accepted(job)
    }

    /// Queues `type` for the cycle (payload plus `cycle_id`) if the cycle is the
    /// tenant's; nil when it is not (missing, or another tenant's: the same 404).
    private func start(
        _ type: String, cycle cycleText: String, payload: [String: Any],
        check: @Sendable @escaping (Transaction, UUID) async throws -> Void = { _, _ in }
    ) async throws -> Components.Responses.JobAccepted? {
        guard let cycleID = UUID(uuidString: cycleText) else { return nil }
        var payload = payload
        payload["cycle_id"] = cycleID.uuidString.lowercased()
        return try await start(type, payload: payload) { transaction in
            // FOR SHARE: the cycle cannot be deleted between this check and the commit.
            guard try await transaction.exists(.cycles, id: cycleID, locking: .share) else { return false }
            try await check(transaction, cycleID)
            return true
        }
    }

    /// Queues `type` with `payload` if `check` passes in the same tenant transaction;
    /// nil when it does not (what it looked for is missing, or another tenant's).
    private func start(
        _ type: String, payload: [String: Any], check: @Sendable (Transaction) async throws -> Bool
    ) async throws -> Components.Responses.JobAccepted? {
        let tenant = try tenantID()
        let text = String(decoding: try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]), as: UTF8.self)
        let queue = try jobs.queue(for: type)
        let enqueued = try await database.withTenantTransaction(tenant) { transaction -> [EnqueuedJob]? in
            guard try await check(transaction) else { return nil }
            return try await queue.enqueue([JobRequest(type: type, payload: text)], tenantID: tenant, in: transaction)
        }
        guard let enqueued, let first = enqueued.first else { return nil }
        // Inside an idempotent request the jobs commit with its answer: Redis hears of
        // them only then.
        await database.afterCommit { await queue.dispatch(enqueued) }
        guard let record = try await jobs.job(tenantID: tenant, id: first.id) else {
            throw StoreError.conflict("job \(first.id) vanished right after it was queued")
        }
        return Components.Responses.JobAccepted(
            headers: .init(location: "/v1/jobs/\(first.id.uuidString.lowercased())", retryAfter: 1),
            body: .json(try .init(record)))
    }

    /// A seed for a deterministic algorithm: the caller's, or a new one kept in the job
    /// so the run can be repeated exactly.
    private static func seeded(_ seed: Int64?) -> [String: Any] {
        ["seed": seed ?? Int64.random(in: 0...Int64(UInt32.max))]
    }

    /// A field the other fields make necessary: the values do not fit together.
    private static func unfit(_ pointer: String, _ detail: String) -> Operations.StartReport.Output {
        .unprocessableContent(.init(body: .applicationProblemJson(APIProblem.unfit([.init(pointer: pointer, detail: detail)]).document)))
    }

    private static func invalid(_ pointer: String, _ detail: String) -> Components.Responses.BadRequest {
        .init(body: .applicationProblemJson(APIProblem.invalid(pointer, detail).document))
    }
}
