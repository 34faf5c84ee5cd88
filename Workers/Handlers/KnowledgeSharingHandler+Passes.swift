import Foundation
import ILCAnalysis
import ILCCore
import ILCQueue
import ILCStore

/// The two passes over one cycle: publishing it to the network, matching it.
extension KnowledgeSharingHandler {
    /// What takes the tenant's names out of published text: its participants' names,
    /// schools and districts, read once per job.
    static func anonymizer(_ context: JobContext) async throws -> TextAnonymizer {
        let names = try await KnowledgeShareStore(database: context.database).knownNames(tenantID: context.tenantID)
        return TextAnonymizer(names: names.map { ($0.name, TextAnonymizer.Kind(rawValue: $0.kind.rawValue) ?? .person) })
    }

    /// The tenant's marks on earlier suggestions, by source collective, read once per job.
    static func marks(_ context: JobContext) async throws -> [String: KnowledgeFeedback.Marks] {
        let marks = try await KnowledgeShareStore(database: context.database).marks(tenantID: context.tenantID)
        return Dictionary(uniqueKeysWithValues: marks.map {
            ($0.key.uuidString.lowercased(), KnowledgeFeedback.Marks(accepted: $0.value.accepted, dismissed: $0.value.dismissed))
        })
    }

    /// Publishes the cycle's collectives when tenant and cycle chose `network`, and
    /// withdraws earlier publications when they no longer do.
    func publish(
        _ source: SharingSource, cycleID: UUID, anonymizer: TextAnonymizer, _ context: JobContext, into tally: inout Tally
    ) async throws {
        let publication = source.policy == .network
            ? source.collectives.map {
                Self.publishable($0, tenantID: context.tenantID, cycleID: cycleID, anonymizer: anonymizer, threshold: source.suppressionThreshold)
            }
            : []
        try await SharedProfileStore(database: context.database).publish(tenantID: context.tenantID, cycleID: cycleID, profiles: publication)
        tally.published += publication.count
    }

    /// Replaces the cycle's open suggestions with the matcher's, against the tenant's
    /// own collectives of the cycle and `network` (other tenants' publications).
    func match(
        _ source: SharingSource, cycleID: UUID, network: [SharedProfile], marks: [String: KnowledgeFeedback.Marks],
        _ context: JobContext, into tally: inout Tally
    ) async throws {
        let tenant = context.tenantID.uuidString.lowercased()
        let own = source.collectives.map { Self.profile($0, tenant: tenant) }
        let others = network.map(Self.profile)
        var policies = [tenant: source.policy]
        for profile in network { policies[profile.tenantID.uuidString.lowercased()] = .network }
        let feedback = KnowledgeFeedback(
            marks: marks,
            judgedPairs: Set(source.markedPairs.map { .init(target: $0.target.uuidString.lowercased(), source: $0.source.uuidString.lowercased()) }))
        let consent = SharingConsent(policies: policies)
        let matched = try await compute.run {
            KnowledgeMatcher().suggestions(for: own + others, consent: consent, targets: Set(own.map(\.id)), feedback: feedback)
        }
        try Task.checkCancellation()

        let labels = Dictionary(network.map { ($0.collectiveID.uuidString.lowercased(), $0) }) { first, _ in first }
        let names = Dictionary(source.collectives.map { ($0.id.uuidString.lowercased(), $0.name) }) { first, _ in first }
        let theories = Dictionary((own + others).map { ($0.id, $0.theoryOfAction) }) { first, _ in first }
        let planned = try matched.compactMap { suggestion -> KnowledgeShareStore.PlannedShare? in
            guard let target = UUID(uuidString: suggestion.target), let sourceID = UUID(uuidString: suggestion.source) else { return nil }
            let foreign = labels[suggestion.source]
            return KnowledgeShareStore.PlannedShare(
                targetCollectiveID: target, sourceTenantID: foreign?.tenantID, sourceCollectiveID: sourceID,
                sourceLabel: foreign.map(\.sourceLabel) ?? names[suggestion.source], score: suggestion.score,
                reasons: try Self.reasons(
                    suggestion, theory: theories[suggestion.source] ?? "",
                    threshold: suggestion.crossTenant ? source.suppressionThreshold : 0))
        }
        try await KnowledgeShareStore(database: context.database).replaceSuggestions(
            tenantID: context.tenantID, cycleID: cycleID, jobID: context.jobID, shares: planned)
        tally.collectives += own.count
        tally.suggestions += planned.count
        tally.networkSources = max(tally.networkSources, others.count)
    }
}
