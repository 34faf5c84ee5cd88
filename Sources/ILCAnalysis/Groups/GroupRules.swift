/// Checks an answer against the input's hard rules from the ids alone, independently
/// of how the answer was found: what the metrics' `violations` report, and what tests
/// hold every answer to.
public enum GroupRules {
    /// Every rule by name, each with how many groups, pairs or participants break it.
    public static let names = [
        "placement", "theme", "size", "max_per_district", "min_roles", "max_groups", "locks", "avoid",
        "max_utc_spread_hours",
    ]

    public static func violations(of result: GroupFormationResult, for input: GroupFormationInput) -> [String: Int] {
        var counts = Dictionary(uniqueKeysWithValues: names.map { ($0, 0) })
        let settings = input.settings
        let participants = Dictionary(input.participants.map { ($0.id, $0) }) { first, _ in first }
        let themes = Set(input.themes.map(\.id))
        var groupOf: [String: String] = [:]
        var themeOf: [String: String] = [:]

        // Everyone exactly once: in one group, or unplaced.
        var seen: [String: Int] = [:]
        for member in result.groups.flatMap(\.members) + result.unplaced.map(\.id) { seen[member, default: 0] += 1 }
        counts["placement"] = participants.keys.filter { seen[$0] != 1 }.count + seen.keys.filter { participants[$0] == nil }.count

        for group in result.groups {
            if !themes.contains(group.theme) { counts["theme", default: 0] += 1 }
            if !(settings.minSize...settings.maxSize).contains(group.members.count) || group.members.count > GroupSettings.largestGroup {
                counts["size", default: 0] += 1
            }
            let people = group.members.compactMap { participants[$0] }
            var byDistrict: [String: Int] = [:]
            for person in people { byDistrict[person.district, default: 0] += 1 }
            if byDistrict.values.contains(where: { $0 > settings.maxPerDistrict }) { counts["max_per_district", default: 0] += 1 }
            if Set(people.map(\.role)).count < settings.minRoles { counts["min_roles", default: 0] += 1 }
            let offsets = people.compactMap(\.utcOffset)
            if let limit = settings.maxUTCSpreadHours, let low = offsets.min(), let high = offsets.max(), high - low > limit {
                counts["max_utc_spread_hours", default: 0] += 1
            }
            for member in group.members {
                groupOf[member] = group.id
                themeOf[member] = group.theme
            }
        }
        if let maxGroups = settings.maxGroups, result.groups.count > maxGroups { counts["max_groups"] = result.groups.count - maxGroups }

        // Locks: the theme kept, and everyone locked into one group in the same group.
        var lockedGroupSeats: [String: Set<String>] = [:]
        for lock in input.locks {
            if let theme = lock.theme, themeOf[lock.participant] != theme { counts["locks", default: 0] += 1; continue }
            if let group = lock.group {
                guard let seat = groupOf[lock.participant] else { counts["locks", default: 0] += 1; continue }
                lockedGroupSeats[group, default: []].insert(seat)
            }
        }
        counts["locks", default: 0] += lockedGroupSeats.values.filter { $0.count > 1 }.count
        for pair in input.avoid where pair.count == 2 {
            if let first = groupOf[pair[0]], first == groupOf[pair[1]] { counts["avoid", default: 0] += 1 }
        }
        return counts
    }
}
