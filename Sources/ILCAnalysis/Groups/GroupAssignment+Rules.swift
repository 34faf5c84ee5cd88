extension GroupAssignment {
    /// The last resort when no change fixes a group: its member who breaks the most
    /// leaves, unplaced with the rule as the reason, until the group keeps every rule;
    /// a group left too small dissolves. A facilitator's locked group is kept as it is
    /// (its breaches show in the metrics). Then everyone unplaced who now fits a group
    /// without breaking a rule gets a seat.
    mutating func enforceRules() {
        for group in groups.indices where groups[group].violation > 0 && groups[group].lockedGroup == nil {
            while groups[group].violation > 0 {
                let members = groups[group].members
                guard let leaving = members.filter(isMovable).min(by: { first, second in
                    (violation(of: members.filter { $0 != first }), first) < (violation(of: members.filter { $0 != second }), second)
                }) else { break }
                let rules = brokenRules(of: leaving, among: members)
                unplace(leaving, reason: "no group could keep \(rules.joined(separator: ", ")) with them in it")
            }
            let remaining = groups[group].members
            if !remaining.isEmpty && remaining.count < problem.settings.minSize {
                for member in remaining { unplace(member, reason: "their group could not reach min_size within the rules") }
                dissolve(group)
            }
        }
        placeUnplaced()
    }

    /// Seats unplaced participants where they keep every rule, cheapest choice first.
    mutating func placeUnplaced() {
        for participant in unplacedReasons.keys.sorted() where problem.lockedGroup[participant] == nil {
            var best: (cost: Int, group: Int)?
            for group in groups.indices {
                let members = groups[group].members
                guard !members.isEmpty, members.count < problem.settings.maxSize, isAllowed(participant, inGroup: group),
                      violation(of: members + [participant]) == 0 else { continue }
                let cost = cost(participant, inGroup: group)
                if best.map({ cost < $0.cost }) ?? true { best = (cost, group) }
            }
            if let best { place(participant, in: best.group) }
        }
    }

    /// The settings `participant` helps break in a group of `members`.
    func brokenRules(of participant: Int, among members: [Int]) -> [String] {
        let settings = problem.settings
        var rules: [String] = []
        if members.filter({ problem.district[$0] == problem.district[participant] }).count > settings.maxPerDistrict {
            rules.append("max_per_district")
        }
        if diversity(of: members).roles < settings.minRoles { rules.append("min_roles") }
        if problem.avoid[participant].contains(where: members.contains) { rules.append("avoid") }
        if let limit = settings.maxUTCSpreadHours, let offset = problem.utcOffset[participant] {
            let offsets = members.compactMap { problem.utcOffset[$0] }
            if offsets.contains(where: { abs($0 - offset) > limit }) { rules.append("max_utc_spread_hours") }
        }
        return rules.isEmpty ? ["the rules"] : rules
    }
}
