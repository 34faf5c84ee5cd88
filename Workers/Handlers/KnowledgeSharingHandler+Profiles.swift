import Foundation
import ILCAnalysis
import ILCCore
import ILCStore

/// Between the stored collectives, the published profiles and the matcher's profiles.
extension KnowledgeSharingHandler {
    /// Published indicators: the JSON shape `SharedProfile.indicators` holds.
    struct PublishedIndicator: Codable {
        var id: String
        var name: String
        var direction: String
        var baseline: Double?
        var baselineOn: String?
        var target: Double?
        var observations: [SharingSource.Observation]

        enum CodingKeys: String, CodingKey {
            case id, name, direction, baseline, target, observations
            case baselineOn = "baseline_on"
        }
    }

    static func profile(_ collective: SharingSource.CollectiveData, tenant: String) -> CollectiveProfile {
        CollectiveProfile(
            id: collective.id.uuidString.lowercased(), tenant: tenant, theme: collective.themeKey,
            problemOfPractice: collective.problemOfPractice, theoryOfAction: collective.theoryOfAction,
            indicators: collective.indicators.map { indicator in
                series(
                    id: indicator.id.uuidString.lowercased(), name: indicator.name, direction: indicator.direction,
                    baseline: indicator.baseline, baselineOn: indicator.baselineOn, target: indicator.target,
                    observations: indicator.observations)
            },
            evidenceCategories: Set(collective.evidenceCategories.compactMap(EvidenceCategory.init(rawValue:))))
    }

    static func profile(_ published: SharedProfile) -> CollectiveProfile {
        let indicators = (try? JSONDecoder().decode([PublishedIndicator].self, from: Data(published.indicators.utf8))) ?? []
        return CollectiveProfile(
            id: published.collectiveID.uuidString.lowercased(), tenant: published.tenantID.uuidString.lowercased(),
            theme: published.themeKey, problemOfPractice: published.problemOfPractice, theoryOfAction: published.theoryOfAction,
            indicators: indicators.map {
                series(
                    id: $0.id, name: $0.name, direction: $0.direction, baseline: $0.baseline, baselineOn: $0.baselineOn,
                    target: $0.target, observations: $0.observations)
            },
            evidenceCategories: Set(published.evidenceCategories.compactMap(EvidenceCategory.init(rawValue:))))
    }

    private static func series(
        id: String, name: String, direction: String, baseline: Double?, baselineOn: String?, target: Double?,
        observations: [SharingSource.Observation]
    ) -> IndicatorSeries {
        IndicatorSeries(
            id: id, name: name, direction: direction == "decrease" ? .decrease : .increase, baseline: baseline,
            baselineOn: baselineOn, target: target,
            observations: observations.map { .init(date: $0.date, value: $0.value, sampleSize: $0.sampleSize) })
    }

    /// What the network may see of a collective: names out of every text, values only
    /// with a sample at or above the threshold.
    static func publishable(
        _ collective: SharingSource.CollectiveData, tenantID: UUID, cycleID: UUID, anonymizer: TextAnonymizer, threshold: Int
    ) -> SharedProfile {
        let indicators = collective.indicators.map { indicator in
            PublishedIndicator(
                id: indicator.id.uuidString.lowercased(), name: anonymizer.anonymize(indicator.name), direction: indicator.direction,
                baseline: indicator.baseline, baselineOn: indicator.baselineOn, target: indicator.target,
                observations: indicator.observations.filter { ($0.sampleSize ?? 0) >= threshold })
        }
        let json = (try? JSONEncoder().encode(indicators)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        return SharedProfile(
            tenantID: tenantID, collectiveID: collective.id, cycleID: cycleID, themeKey: collective.themeKey,
            problemOfPractice: anonymizer.anonymize(collective.problemOfPractice),
            theoryOfAction: anonymizer.anonymize(collective.theoryOfAction), indicators: json,
            evidenceCategories: collective.evidenceCategories)
    }

    /// Why a source was suggested, as the share's `reasons` object. Across tenants,
    /// indicator changes on a sample below the reader's threshold are left out too.
    static func reasons(_ suggestion: KnowledgeSuggestion, theory: String, threshold: Int) throws -> String {
        let changes: [[String: Any]] = suggestion.indicatorChanges.filter { $0.sampleSize >= threshold }.map { change in
            var entry: [String: Any] = [
                "name": change.name, "baseline": change.baseline, "latest": change.latest, "latest_on": change.latestOn,
                "change": (change.change * 1_000).rounded() / 1_000, "progress": (change.progress * 1_000).rounded() / 1_000,
                "sample_size": change.sampleSize,
            ]
            if let baselineOn = change.baselineOn { entry["baseline_on"] = baselineOn }
            if let target = change.target { entry["target"] = target }
            return entry
        }
        var reasons: [String: Any] = [
            "matching_terms": suggestion.matchingTerms, "source_theory_of_action": theory, "indicator_changes": changes,
            "similarity": (suggestion.similarity * 1_000).rounded() / 1_000, "impact": (suggestion.impact * 1_000).rounded() / 1_000,
            "cross_tenant": suggestion.crossTenant,
        ]
        if let theme = suggestion.sharedTheme { reasons["shared_theme"] = theme }
        if let marks = suggestion.marks { reasons["earlier_marks"] = ["accepted": marks.accepted, "dismissed": marks.dismissed] }
        return String(decoding: try JSONSerialization.data(withJSONObject: reasons, options: [.sortedKeys]), as: UTF8.self)
    }
}
