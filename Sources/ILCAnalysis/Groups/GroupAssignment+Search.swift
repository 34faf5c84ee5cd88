/// Local search: swaps and moves between two groups, each judged by the two groups it
/// touches. Partner groups are sampled with the seed when there are many, so large
/// instances stay fast and every run repeats exactly.
extension GroupAssignment {
    enum Change {
        case move(Int, to: Int)
        case swap(Int, Int)
    }

    mutating func apply(_ change: Change) {
        switch change {
        case .move(let participant, let target): move(participant, to: target)
        case .swap(let first, let second): swap(first, second)
        }
    }

    /// Fixes groups that break a rule, by the cheapest change that makes them break less.
    /// Within a theme first (free: the objective does not move); across themes when
    /// `crossTheme` (a participant may then trade a better choice for a kept rule).
    /// Judging stops after `budget` changes were weighed (a count, so runs repeat): when
    /// the data leave most groups unfixable, searching on helps no one.
    mutating func repair(
        crossTheme: Bool, partnerLimit: Int, random: inout SeededRandom, maximumPasses: Int = 25, budget: Int = 5_000_000
    ) {
        var weighed = 0
        for _ in 0..<maximumPasses {
            var changed = false
            for group in groups.indices where groups[group].violation > 0 && weighed < budget {
                var best: (delta: Delta, change: Change)?
                func consider(_ delta: Delta?, _ change: Change) {
                    weighed += 1
                    guard let delta, delta.violation < 0 else { return }
                    if best.map({ (delta.cost, delta.violation) < ($0.delta.cost, $0.delta.violation) }) ?? true {
                        best = (delta, change)
                    }
                }
                for partner in partners(of: group, crossTheme: crossTheme, limit: partnerLimit, random: &random) {
                    for member in groups[group].members where isMovable(member) {
                        consider(moveDelta(member, to: partner), .move(member, to: partner))
                        for other in groups[partner].members where isMovable(other) {
                            consider(swapDelta(member, other), .swap(member, other))
                        }
                    }
                    for other in groups[partner].members where isMovable(other) {
                        consider(moveDelta(other, to: group), .move(other, to: group))
                    }
                }
                if let best {
                    apply(best.change)
                    changed = true
                }
            }
            if !changed { return }
        }
    }

    /// Gives participants a better choice where a move or swap keeps every rule.
    mutating func improveCost(partnerLimit: Int, random: inout SeededRandom, maximumPasses: Int = 10) {
        for _ in 0..<maximumPasses {
            var changed = false
            let order = (0..<problem.participantCount)
                .filter { groupOf[$0] != nil && isMovable($0) }
                .map { ($0, cost($0, inGroup: groupOf[$0] ?? 0)) }
                .filter { $0.1 > 0 }
                .sorted { ($0.1, -$0.0) > ($1.1, -$1.0) }
            for (participant, current) in order {
                guard groupOf[participant] != nil else { continue }
                var best: (delta: Delta, change: Change)?
                func consider(_ delta: Delta?, _ change: Change) {
                    guard let delta, delta.cost < 0, delta.violation <= 0 else { return }
                    if best.map({ delta < $0.delta }) ?? true { best = (delta, change) }
                }
                for theme in 0..<problem.themeCount where (problem.cost(participant, theme) ?? .max) < current {
                    for partner in sample(groupsOfTheme[theme], limit: partnerLimit, random: &random) {
                        consider(moveDelta(participant, to: partner), .move(participant, to: partner))
                        for other in groups[partner].members where isMovable(other) {
                            consider(swapDelta(participant, other), .swap(participant, other))
                        }
                    }
                }
                if let best {
                    apply(best.change)
                    changed = true
                }
            }
            if !changed { return }
        }
    }

    /// Brings together-pairs into one group where that costs nothing and keeps every
    /// rule, without parting a pair already together.
    mutating func honorTogether() {
        for _ in 0..<2 {
            for first in 0..<problem.participantCount {
                for second in problem.together[first] where second > first {
                    guard let a = groupOf[first], let b = groupOf[second], a != b else { continue }
                    if let change = freeChange(bringing: second, into: a) ?? freeChange(bringing: first, into: b) {
                        apply(change)
                    }
                }
            }
        }
    }

    private func freeChange(bringing participant: Int, into group: Int) -> Change? {
        guard isMovable(participant), !hasPartner(participant, in: groupOf[participant]) else { return nil }
        if let delta = moveDelta(participant, to: group), delta.cost <= 0, delta.violation <= 0 {
            return .move(participant, to: group)
        }
        for other in groups[group].members where isMovable(other) && !hasPartner(other, in: group) {
            if let delta = swapDelta(participant, other), delta.cost <= 0, delta.violation <= 0 {
                return .swap(participant, other)
            }
        }
        return nil
    }

    /// Whether a together-partner of `participant` is in `group`.
    func hasPartner(_ participant: Int, in group: Int?) -> Bool {
        guard let group else { return false }
        return problem.together[participant].contains { groupOf[$0] == group }
    }

    /// The tie-breaks: raises the fewest distinct districts of any group, then the
    /// fewest roles, by swaps inside a theme that keep every rule, cost and honoured pair.
    mutating func improveDiversity(partnerLimit: Int, random: inout SeededRandom, maximumPasses: Int = 8) {
        for (attribute, other) in [(problem.district, problem.role), (problem.role, problem.district)] {
            for _ in 0..<maximumPasses {
                let occupied = groups.indices.filter { !groups[$0].members.isEmpty }
                let counts = occupied.map { distinctCount(groups[$0].members, of: attribute) }
                guard let worst = counts.min() else { return }
                var changed = false
                for (group, count) in zip(occupied, counts) where count == worst {
                    if let change = diversifyingSwap(
                        group, attribute: attribute, other: other, worst: worst, partnerLimit: partnerLimit, random: &random) {
                        apply(change)
                        changed = true
                    }
                }
                if !changed { break }
            }
        }
    }

    /// A swap that gives `group` one more distinct value of `attribute` and leaves its
    /// partner above `worst`, without lowering the floor of the `other` attribute.
    private func diversifyingSwap(
        _ group: Int, attribute: [Int], other: [Int], worst: Int, partnerLimit: Int, random: inout SeededRandom
    ) -> Change? {
        let members = groups[group].members
        // Only a member whose value repeats can leave without costing the group a value.
        let leaving = members.filter { member in
            isMovable(member) && !hasPartner(member, in: group)
                && members.contains { $0 != member && attribute[$0] == attribute[member] }
        }
        guard !leaving.isEmpty else { return nil }
        for partner in partners(of: group, crossTheme: false, limit: partnerLimit, random: &random) {
            let theirs = groups[partner].members
            for arriving in theirs where isMovable(arriving) && !hasPartner(arriving, in: partner)
                && !members.contains(where: { attribute[$0] == attribute[arriving] }) {
                for member in leaving {
                    let newTheirs = theirs.map { $0 == arriving ? member : $0 }
                    guard distinctCount(newTheirs, of: attribute) > worst,
                          let delta = swapDelta(member, arriving), delta.violation <= 0, delta.cost <= 0 else { continue }
                    let newMine = members.map { $0 == member ? arriving : $0 }
                    let floor = min(distinctCount(members, of: other), distinctCount(theirs, of: other))
                    guard min(distinctCount(newMine, of: other), distinctCount(newTheirs, of: other)) >= floor else { continue }
                    return .swap(member, arriving)
                }
            }
        }
        return nil
    }

    /// Groups to try changes with: the same theme's, plus a sample of the others'. With
    /// a time-zone limit the same theme's are its neighbours in offset order (a theme's
    /// groups are made in that order), the only ones a swap can usually reach.
    func partners(of group: Int, crossTheme: Bool, limit: Int, random: inout SeededRandom) -> [Int] {
        let theme = groups[group].theme
        let sameTheme = groupsOfTheme[theme]
        var result: [Int]
        if problem.settings.maxUTCSpreadHours != nil, sameTheme.count > limit + 1, let position = sameTheme.firstIndex(of: group) {
            let low = max(0, min(position - limit / 2, sameTheme.count - limit - 1))
            result = sameTheme[low...(low + limit)].filter { $0 != group }
        } else {
            result = sample(sameTheme.filter { $0 != group }, limit: limit, random: &random)
        }
        if crossTheme {
            let others = (0..<problem.themeCount).filter { $0 != theme }.flatMap { groupsOfTheme[$0] }
            result += sample(others, limit: limit, random: &random)
        }
        return result
    }

    func sample(_ candidates: [Int], limit: Int, random: inout SeededRandom) -> [Int] {
        guard candidates.count > limit else { return candidates }
        var pool = candidates
        for position in 0..<limit { pool.swapAt(position, position + random.index(below: pool.count - position)) }
        return Array(pool.prefix(limit))
    }
}
