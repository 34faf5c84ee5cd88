import Foundation
import ILCAnalysis
import ILCCore
import ILCQueue
import ILCStore

/// `group-formation`: forms the cycle's collectives (`GroupFormer`) from its
/// participants, themes (the approved ones if any) and settings, keeping every
/// facilitator's locked placement, and stores them in one transaction in place of the
/// last run's. The result carries the run's metrics, who was left unplaced and why, and
/// the themes that folded.
struct GroupFormationHandler: JobHandler {
    let type = "group-formation"
    let compute: ComputeThreads

    private struct Payload: Decodable {
        var cycleID: UUID
        var seed: UInt64?
        /// Participant id pairs, as the API checked them.
        var avoid: [[String]]?
        var together: [[String]]?

        enum CodingKeys: String, CodingKey {
            case cycleID = "cycle_id"
            case seed, avoid, together
        }
    }

    func run(_ context: JobContext) async throws -> String {
        let payload = try context.decodePayload(Payload.self)
        let store = CollectiveStore(database: context.database)
        await context.reportProgress(percent: 0, message: "reading participants")
        guard let source = try await store.formationSource(tenantID: context.tenantID, cycleID: payload.cycleID) else {
            throw JobFailure(title: "The cycle does not exist", detail: "cycle \(payload.cycleID) was deleted", retryable: false)
        }
        guard !source.themes.isEmpty else {
            throw JobFailure(
                title: "The cycle has no themes", detail: "run theme detection (and approve themes) before forming collectives",
                retryable: false)
        }
        let input = Self.input(from: source, avoid: payload.avoid ?? [], together: payload.together ?? [])
        let result = try await form(input, seed: payload.seed ?? 1, context: context)
        try Task.checkCancellation()

        await context.reportProgress(percent: 90, message: "storing collectives")
        let plan = Self.plan(from: result, source: source)
        do {
            try await store.replaceFormation(tenantID: context.tenantID, cycleID: payload.cycleID, jobID: context.jobID, plan: plan)
        } catch CollectiveStore.FormationRefusal.locksChanged {
            throw JobFailure(
                title: "Facilitators changed placements meanwhile", detail: "the run starts again from the new placements",
                retryable: true)
        } catch CollectiveStore.FormationRefusal.themesChanged {
            throw JobFailure(
                title: "Themes were detected again meanwhile", detail: "the run starts again from the new themes", retryable: true)
        } catch CollectiveStore.FormationRefusal.collectivesInUse(let count) {
            throw JobFailure(
                title: "Collectives of this cycle are in use",
                detail: "\(count) collective(s) the run would replace already have placemats, indicators or reflections",
                retryable: false)
        } catch CollectiveStore.FormationRefusal.cycleNotFound {
            throw JobFailure(title: "The cycle does not exist", detail: "cycle \(payload.cycleID) was deleted", retryable: false)
        }
        return try Self.summary(result, collectives: plan.collectives.count)
    }

    /// Runs the former on the compute threads while its stages report progress.
    private func form(_ input: GroupFormationInput, seed: UInt64, context: JobContext) async throws -> GroupFormationResult {
        do {
            return try await compute.run { report in
                try GroupFormer(options: .init(seed: seed)).form(input) { report($0) }
            } progress: { stage in
                await context.reportProgress(percent: Self.percent(stage), message: stage.rawValue)
            }
        } catch GroupFormer.Failure.invalid(let problems) {
            // The cycle's own data breaks a rule (a locked collective above max_size…).
            throw JobFailure(
                title: "The cycle cannot be formed as it stands",
                detail: problems.prefix(5).map(\.description).joined(separator: "; "), retryable: false)
        }
    }

    static func percent(_ stage: GroupFormer.Stage) -> Double {
        switch stage {
        case .allocating: 10
        case .grouping: 40
        case .improving: 60
        }
    }
}
