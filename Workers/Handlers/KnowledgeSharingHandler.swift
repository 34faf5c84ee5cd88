import Foundation
import ILCAnalysis
import ILCCore
import ILCQueue
import ILCStore

/// `knowledge-sharing`: matches a cycle's collectives with the collectives that worked
/// on similar problems and moved their indicators (`KnowledgeMatcher`) — the tenant's
/// own and, when tenant and cycle chose `network`, other network tenants' published
/// profiles — and replaces the suggestions nobody acted on; marks on earlier
/// suggestions move sources up or down. A network cycle's run also publishes its
/// collectives, anonymised here, in the tenant's own scope: names never leave it, and
/// only values with a sample at or above its suppression threshold do.
///
/// Payload `{"cycle_id"}` does both for one cycle. An operator's network run
/// (`{"network_run", "phase"}`) covers every cycle of the tenant in two phases —
/// `publish`, then, once every network tenant has published, `match` — so each
/// tenant matches against everyone's fresh publications.
struct KnowledgeSharingHandler: JobHandler {
    let type = "knowledge-sharing"
    /// Hands the matching jobs of a network run to Redis.
    let queue: JobQueue
    let compute: ComputeThreads

    private struct Payload: Decodable {
        enum Phase: String, Decodable {
            case publish, match
        }

        var cycleID: UUID?
        var networkRun: UUID?
        var phase: Phase?

        enum CodingKeys: String, CodingKey {
            case cycleID = "cycle_id"
            case networkRun = "network_run"
            case phase
        }
    }

    /// What one cycle's pass did, summed over cycles for the job's result.
    struct Tally {
        var cycles = 0
        var collectives = 0
        var published = 0
        var suggestions = 0
        var networkSources = 0
    }

    func run(_ context: JobContext) async throws -> String {
        let payload = try context.decodePayload(Payload.self)
        let shares = KnowledgeShareStore(database: context.database)
        if let cycleID = payload.cycleID {
            await context.reportProgress(percent: 0, message: "reading collectives")
            guard let source = try await shares.source(tenantID: context.tenantID, cycleID: cycleID) else {
                throw JobFailure(title: "The cycle does not exist", detail: "cycle \(cycleID) was deleted", retryable: false)
            }
            var tally = Tally(cycles: 1)
            await context.reportProgress(percent: 20, message: "publishing")
            // Only a network cycle publishes, so only then are the names worth reading.
            let anonymizer = source.policy == .network ? try await Self.anonymizer(context) : TextAnonymizer(names: [])
            try await publish(source, cycleID: cycleID, anonymizer: anonymizer, context, into: &tally)
            let network = source.policy == .network
                ? try await SharedProfileStore(database: context.database).networkProfiles(tenantID: context.tenantID) : []
            await context.reportProgress(percent: 40, message: "matching")
            try await match(source, cycleID: cycleID, network: network, marks: try await Self.marks(context), context, into: &tally)
            return try Self.result(tally)
        }
        guard let runID = payload.networkRun, let phase = payload.phase else {
            throw JobFailure(
                title: "The job's payload is not valid", detail: "give cycle_id, or network_run and phase", retryable: false)
        }
        return try await runNetworkPhase(phase == .publish, runID: runID, context, shares: shares)
    }

    /// One phase of a network run over every cycle of the tenant.
    private func runNetworkPhase(_ publishing: Bool, runID: UUID, _ context: JobContext, shares: KnowledgeShareStore) async throws -> String {
        let cycles = try await shares.cyclesWithCollectives(tenantID: context.tenantID)
        // What every cycle's pass needs, read once: names to publish, or the network's
        // profiles and the tenant's marks to match.
        let anonymizer = publishing ? try await Self.anonymizer(context) : TextAnonymizer(names: [])
        let network = publishing ? [] : try await SharedProfileStore(database: context.database).networkProfiles(tenantID: context.tenantID)
        let marks = publishing ? [:] : try await Self.marks(context)
        var tally = Tally()
        for (index, cycleID) in cycles.enumerated() {
            await context.reportProgress(
                percent: 100 * Double(index) / Double(max(cycles.count, 1)), processed: Int64(index), total: Int64(cycles.count),
                message: publishing ? "publishing" : "matching")
            // A cycle deleted since the listing has nothing left to share.
            guard let source = try await shares.source(tenantID: context.tenantID, cycleID: cycleID) else { continue }
            tally.cycles += 1
            if publishing {
                try await publish(source, cycleID: cycleID, anonymizer: anonymizer, context, into: &tally)
            } else {
                try await match(
                    source, cycleID: cycleID, network: source.policy == .network ? network : [], marks: marks, context, into: &tally)
            }
        }
        guard publishing else { return try Self.result(tally) }
        let matching = try await NetworkSharingRunStore(database: context.database).published(tenantID: context.tenantID, runID: runID)
        await queue.dispatch(matching)
        return try Self.result(tally, matchingJobs: matching.count)
    }

    private static func result(_ tally: Tally, matchingJobs: Int? = nil) throws -> String {
        var counts = [
            "cycles": tally.cycles, "collectives": tally.collectives, "suggestions": tally.suggestions,
            "published": tally.published, "network_sources": tally.networkSources,
        ]
        counts["matching_jobs"] = matchingJobs
        return try JobResult.counts(counts)
    }
}
