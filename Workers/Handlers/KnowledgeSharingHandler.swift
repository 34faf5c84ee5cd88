import Foundation
import ILCAnalysis
import ILCCore
import ILCQueue
import ILCStore

/// `knowledge-sharing`: matches the cycle's collectives with the collectives that worked
/// on similar problems and moved their indicators (`KnowledgeMatcher`) — the tenant's
/// own and, when the tenant chose `network`, other network tenants' published profiles
/// — and replaces the suggestions nobody acted on. A network tenant's run also
/// publishes its own collectives, anonymised here, in its own scope: names never leave
/// it, and only values with a sample at or above its suppression threshold do.
struct KnowledgeSharingHandler: JobHandler {
    let type = "knowledge-sharing"

    private struct Payload: Decodable {
        var cycleID: UUID

        enum CodingKeys: String, CodingKey {
            case cycleID = "cycle_id"
        }
    }

    func run(_ context: JobContext) async throws -> String {
        let payload = try context.decodePayload(Payload.self)
        let shares = KnowledgeShareStore(database: context.database)
        let published = SharedProfileStore(database: context.database)
        await context.reportProgress(percent: 0, message: "reading collectives")
        guard let source = try await shares.source(tenantID: context.tenantID, cycleID: payload.cycleID) else {
            throw JobFailure(title: "The cycle does not exist", detail: "cycle \(payload.cycleID) was deleted", retryable: false)
        }
        let tenant = context.tenantID.uuidString.lowercased()
        let own = source.collectives.map { Self.profile($0, tenant: tenant) }
        let anonymizer = TextAnonymizer(names: source.names.map { ($0.name, TextAnonymizer.Kind(rawValue: $0.kind.rawValue) ?? .person) })

        await context.reportProgress(percent: 20, message: "publishing")
        let publication = source.policy == .network
            ? source.collectives.map { Self.publishable($0, tenantID: context.tenantID, cycleID: payload.cycleID, anonymizer: anonymizer, threshold: source.suppressionThreshold) }
            : []
        try await published.publish(tenantID: context.tenantID, cycleID: payload.cycleID, profiles: publication)

        var network: [SharedProfile] = []
        if source.policy == .network {
            network = try await published.networkProfiles(tenantID: context.tenantID)
        }
        let others = network.map(Self.profile)
        var policies = [tenant: source.policy]
        for profile in network { policies[profile.tenantID.uuidString.lowercased()] = .network }

        await context.reportProgress(percent: 40, message: "matching")
        let matched = await Task.detached {
            KnowledgeMatcher().suggestions(
                for: own + others, consent: SharingConsent(policies: policies), targets: Set(own.map(\.id)))
        }.value
        try Task.checkCancellation()

        await context.reportProgress(percent: 90, message: "storing suggestions")
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
        try await shares.replaceSuggestions(tenantID: context.tenantID, cycleID: payload.cycleID, jobID: context.jobID, shares: planned)
        return try JobResult.counts([
            "collectives": own.count, "suggestions": planned.count, "published": publication.count,
            "network_sources": others.count,
        ])
    }
}
