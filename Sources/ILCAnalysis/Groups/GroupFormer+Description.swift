extension GroupFormer {
    /// The answer in the caller's ids, with its metrics.
    func describe(_ assignment: GroupAssignment, lowerBound: Int, optimal: Bool) -> GroupFormationResult {
        let problem = assignment.problem
        let input = problem.input
        let occupied = assignment.groups.indices
            .filter { !assignment.groups[$0].members.isEmpty }
            .sorted { first, second in
                let (a, b) = (assignment.groups[first], assignment.groups[second])
                return (a.lockedGroup == nil ? 1 : 0, a.theme, first) < (b.lockedGroup == nil ? 1 : 0, b.theme, second)
            }
        var number = 0
        let groups = occupied.map { index -> GroupFormationResult.Group in
            let group = assignment.groups[index]
            let id: String
            if let locked = group.lockedGroup {
                id = problem.lockedGroups[locked].label
            } else {
                number += 1
                id = "group-\(number)"
            }
            return GroupFormationResult.Group(
                id: id, theme: input.themes[group.theme].id, members: group.members.sorted().map { input.participants[$0].id })
        }
        let unplaced = assignment.unplacedReasons.keys.sorted().map {
            GroupFormationResult.Unplaced(id: input.participants[$0].id, reason: assignment.unplacedReasons[$0] ?? "")
        }

        var firstChoices = [Int](repeating: 0, count: problem.themeCount)
        for participant in 0..<problem.participantCount {
            if let first = (0..<problem.themeCount).first(where: { problem.rank(participant, $0) == 1 }) { firstChoices[first] += 1 }
        }
        let themesWithGroups = Set(occupied.map { assignment.groups[$0].theme })
        let folded = (0..<problem.themeCount).filter { firstChoices[$0] > 0 && !themesWithGroups.contains($0) }.map {
            GroupFormationResult.FoldedTheme(theme: input.themes[$0].id, firstChoices: firstChoices[$0])
        }

        var ranks: [Int] = []
        for index in occupied {
            let group = assignment.groups[index]
            ranks += group.members.map { problem.rank($0, group.theme) }
        }
        let total = max(1, problem.participantCount)
        let diversity = occupied.map { assignment.diversity(of: $0) }
        var honored = 0
        var requested = 0
        for first in 0..<problem.participantCount {
            for second in problem.together[first] where second > first {
                requested += 1
                if let group = assignment.groupOf[first], assignment.groupOf[second] == group { honored += 1 }
            }
        }
        var result = GroupFormationResult(
            groups: groups, unplaced: unplaced, folded: folded,
            metrics: GroupFormationResult.Metrics(
                objective: assignment.totalCost, lowerBound: lowerBound, optimal: optimal,
                firstChoicePercent: Self.percent(ranks.filter { $0 == 1 }.count, of: total),
                top3Percent: Self.percent(ranks.filter { $0 <= 3 }.count, of: total),
                worstRank: ranks.max(), minDistinctRoles: diversity.map(\.roles).min() ?? 0,
                minDistinctDistricts: diversity.map(\.districts).min() ?? 0, placed: ranks.count, unplaced: unplaced.count,
                togetherHonored: honored, togetherRequested: requested, violations: [:]))
        result.metrics.violations = GroupRules.violations(of: result, for: input)
        return result
    }

    static func percent(_ count: Int, of total: Int) -> Double {
        (Double(count) * 1_000 / Double(total)).rounded() / 10
    }
}
