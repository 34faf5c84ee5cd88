import Foundation
import ILCAnalysis
import ILCCore
import ILCStore

/// Between the cycle's rows and the former's ids: participants, themes and locked
/// collectives go by their UUIDs (locked collectives as the groups' ids).
extension GroupFormationHandler {
    /// Pairs naming someone who left the cycle since the job was queued are dropped.
    static func input(from source: FormationSource, avoid: [[String]] = [], together: [[String]] = []) -> GroupFormationInput {
        let themeIDs = Set(source.themes.map { $0.id.uuidString.lowercased() })
        // A preference names a theme by id, catalog key or label.
        var byName: [String: String] = [:]
        for theme in source.themes.reversed() {
            let id = theme.id.uuidString.lowercased()
            byName[theme.label.lowercased()] = id
            if let key = theme.catalogKey { byName[key.lowercased()] = id }
        }
        let reference = source.cycle.startsOn.flatMap(Self.noon) ?? Date()
        let participants = source.participants.map { participant in
            var preferences: [String] = []
            for text in participant.preferences {
                let lowered = text.lowercased()
                guard let id = themeIDs.contains(lowered) ? lowered : byName[lowered], !preferences.contains(id) else { continue }
                preferences.append(id)
            }
            let detected = participant.detectedThemeID.map { $0.uuidString.lowercased() }.flatMap { themeIDs.contains($0) ? $0 : nil }
            return GroupFormationInput.Participant(
                id: participant.id.uuidString.lowercased(), role: participant.role, district: participant.district,
                region: participant.region,
                utcOffset: participant.timeZone.flatMap(TimeZone.init(identifier:)).map { Double($0.secondsFromGMT(for: reference)) / 3_600 },
                preferences: Array(preferences.prefix(3)), detectedTheme: detected)
        }
        let known = Set(participants.map(\.id))
        let locks = source.lockedCollectives.flatMap { collective in
            collective.members.map { $0.uuidString.lowercased() }.filter(known.contains).map { member in
                GroupFormationInput.Lock(
                    participant: member, group: collective.id.uuidString.lowercased(),
                    theme: collective.themeID.map { $0.uuidString.lowercased() }.flatMap { themeIDs.contains($0) ? $0 : nil })
            }
        }
        let settings = source.cycle.settings
        return GroupFormationInput(
            settings: GroupSettings(
                minSize: settings.groupSizeMin, maxSize: settings.groupSizeMax, maxPerDistrict: settings.maxPerDistrict,
                minRoles: settings.minRoles, maxGroups: settings.maxGroups, maxUTCSpreadHours: settings.maxUTCSpreadHours),
            themes: source.themes.map { GroupFormationInput.Theme(id: $0.id.uuidString.lowercased(), label: $0.label) },
            participants: participants, locks: locks,
            avoid: avoid.filter { $0.count == 2 && $0.allSatisfy(known.contains) },
            together: together.filter { $0.count == 2 && $0.allSatisfy(known.contains) })
    }

    /// Locked collectives keep their id and name; new ones are named after their theme.
    static func plan(from result: GroupFormationResult, source: FormationSource) -> FormationPlan {
        let labels = Dictionary(source.themes.map { ($0.id.uuidString.lowercased(), $0.label) }) { first, _ in first }
        let kept = Set(source.lockedCollectives.map { $0.id.uuidString.lowercased() })
        var numbers: [String: Int] = [:]
        let collectives = result.groups.compactMap { group -> FormationPlan.PlannedCollective? in
            guard let themeID = UUID(uuidString: group.theme) else { return nil }
            numbers[group.theme, default: 0] += 1
            let id = kept.contains(group.id) ? UUID(uuidString: group.id) ?? TimeOrderedID.make() : TimeOrderedID.make()
            let label = labels[group.theme] ?? "Collective"
            return FormationPlan.PlannedCollective(
                id: id, themeID: themeID, name: "\(label.prefix(190)) \(numbers[group.theme] ?? 1)",
                members: group.members.compactMap(UUID.init(uuidString:)))
        }
        return FormationPlan(collectives: collectives, lockedCollectives: source.lockedCollectives)
    }

    /// The job's result: counts, the metrics, who is unplaced and why (the first 100),
    /// and the themes that folded.
    static func summary(_ result: GroupFormationResult, collectives: Int) throws -> String {
        struct Summary: Encodable {
            struct Unplaced: Encodable {
                var participantID: String
                var reason: String

                enum CodingKeys: String, CodingKey {
                    case participantID = "participant_id"
                    case reason
                }
            }

            var collectives: Int
            var placed: Int
            var unplaced: Int
            var metrics: GroupFormationResult.Metrics
            var unplacedParticipants: [Unplaced]
            var foldedThemes: [GroupFormationResult.FoldedTheme]

            enum CodingKeys: String, CodingKey {
                case collectives, placed, unplaced, metrics
                case unplacedParticipants = "unplaced_participants"
                case foldedThemes = "folded_themes"
            }
        }
        let summary = Summary(
            collectives: collectives, placed: result.metrics.placed, unplaced: result.metrics.unplaced, metrics: result.metrics,
            unplacedParticipants: result.unplaced.prefix(100).map { .init(participantID: $0.id, reason: $0.reason) },
            foldedThemes: result.folded)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(summary), as: UTF8.self)
    }

    /// Noon UTC of a calendar date (YYYY-MM-DD): the day a cycle's time zones are read at.
    static func noon(_ date: String) -> Date? {
        let parts = date.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        var components = DateComponents()
        (components.year, components.month, components.day, components.hour) = (parts[0], parts[1], parts[2], 12)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar.date(from: components)
    }
}
