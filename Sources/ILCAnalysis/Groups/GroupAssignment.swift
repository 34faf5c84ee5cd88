/// Who is in which group: the state the search changes one move or swap at a time.
/// Each group caches how badly it breaks the rules inside a group (districts, roles,
/// time zones, avoid pairs), so a move is judged by recounting two small groups.
struct GroupAssignment {
    struct Group {
        let theme: Int
        var members: [Int]
        /// The facilitator's group this one is, if any.
        let lockedGroup: Int?
        /// The rule-breaking weight of `members` (0: keeps every rule).
        var violation: Int
    }

    /// A change judged: how much rule-breaking and rank cost it adds (negative: removes).
    struct Delta: Comparable {
        var violation: Int
        var cost: Int

        static func < (lhs: Delta, rhs: Delta) -> Bool { (lhs.violation, lhs.cost) < (rhs.violation, rhs.cost) }
    }

    let problem: GroupProblem
    private(set) var groups: [Group] = []
    /// The group of each participant; nil while unplaced.
    private(set) var groupOf: [Int?]
    private(set) var groupsOfTheme: [[Int]]
    private(set) var unplacedReasons: [Int: String] = [:]

    init(problem: GroupProblem) {
        self.problem = problem
        groupOf = Array(repeating: nil, count: problem.participantCount)
        groupsOfTheme = Array(repeating: [], count: problem.themeCount)
    }

    /// Adds a group and returns its index.
    @discardableResult
    mutating func addGroup(theme: Int, members: [Int], lockedGroup: Int?) -> Int {
        let index = groups.count
        groups.append(Group(theme: theme, members: members, lockedGroup: lockedGroup, violation: violation(of: members)))
        groupsOfTheme[theme].append(index)
        for member in members { groupOf[member] = index }
        return index
    }

    mutating func unplace(_ participant: Int, reason: String) {
        if let group = groupOf[participant] {
            groups[group].members.removeAll { $0 == participant }
            groups[group].violation = violation(of: groups[group].members)
            groupOf[participant] = nil
        }
        unplacedReasons[participant] = reason
    }

    /// Places a participant who was unplaced.
    mutating func place(_ participant: Int, in group: Int) {
        unplacedReasons[participant] = nil
        groups[group].members.append(participant)
        groups[group].violation = violation(of: groups[group].members)
        groupOf[participant] = group
    }

    /// Empties a group (its members must have been moved or unplaced first).
    mutating func dissolve(_ group: Int) {
        groupsOfTheme[groups[group].theme].removeAll { $0 == group }
        for member in groups[group].members where groupOf[member] == group { groupOf[member] = nil }
        groups[group].members = []
        groups[group].violation = 0
    }

    // MARK: Judging

    /// Whether the search may move this participant (a facilitator's group keeps its own).
    func isMovable(_ participant: Int) -> Bool {
        problem.lockedGroup[participant] == nil
    }

    func cost(_ participant: Int, inGroup group: Int) -> Int {
        problem.searchCost(participant, groups[group].theme)
    }

    func isAllowed(_ participant: Int, inGroup group: Int) -> Bool {
        problem.cost(participant, groups[group].theme) != nil
    }

    /// The rank cost of everyone placed.
    var totalCost: Int {
        groups.reduce(0) { sum, group in sum + group.members.reduce(0) { $0 + problem.searchCost($1, group.theme) } }
    }

    /// Swapping `first` (in its group) with `second` (in another group).
    func swapDelta(_ first: Int, _ second: Int) -> Delta? {
        guard let a = groupOf[first], let b = groupOf[second], a != b,
              isAllowed(first, inGroup: b), isAllowed(second, inGroup: a) else { return nil }
        let violation = violation(of: groups[a].members, replacing: first, with: second)
            + violation(of: groups[b].members, replacing: second, with: first) - groups[a].violation - groups[b].violation
        let cost = cost(first, inGroup: b) + cost(second, inGroup: a) - cost(first, inGroup: a) - cost(second, inGroup: b)
        return Delta(violation: violation, cost: cost)
    }

    /// Moving `participant` into `target`, sizes permitting.
    func moveDelta(_ participant: Int, to target: Int) -> Delta? {
        guard let source = groupOf[participant], source != target,
              groups[source].members.count > problem.settings.minSize,
              groups[target].members.count < problem.settings.maxSize,
              isAllowed(participant, inGroup: target) else { return nil }
        let violation = violation(of: groups[source].members, replacing: participant, with: nil)
            + violation(of: groups[target].members, replacing: nil, with: participant)
            - groups[source].violation - groups[target].violation
        return Delta(violation: violation, cost: cost(participant, inGroup: target) - cost(participant, inGroup: source))
    }

    /// The violation of `members` with `old` taken out and `new` put in, counted in a
    /// buffer on the stack: the search judges millions of these.
    func violation(of members: [Int], replacing old: Int?, with new: Int?) -> Int {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: members.count + 1) { buffer in
            var count = 0
            for member in members where member != old {
                buffer[count] = member
                count += 1
            }
            if let new {
                buffer[count] = new
                count += 1
            }
            return violation(of: UnsafeBufferPointer(rebasing: buffer[..<count]))
        }
    }

    mutating func swap(_ first: Int, _ second: Int) {
        guard let a = groupOf[first], let b = groupOf[second] else { return }
        groups[a].members = groups[a].members.map { $0 == first ? second : $0 }
        groups[b].members = groups[b].members.map { $0 == second ? first : $0 }
        groups[a].violation = violation(of: groups[a].members)
        groups[b].violation = violation(of: groups[b].members)
        groupOf[first] = b
        groupOf[second] = a
    }

    mutating func move(_ participant: Int, to target: Int) {
        guard let source = groupOf[participant] else { return }
        groups[source].members.removeAll { $0 == participant }
        groups[target].members.append(participant)
        groups[source].violation = violation(of: groups[source].members)
        groups[target].violation = violation(of: groups[target].members)
        groupOf[participant] = target
    }

    /// How badly `members` break the rules inside a group: one per member over the
    /// district cap, per missing role, per avoid pair, and per quarter hour beyond the
    /// time-zone spread.
    func violation<Members: RandomAccessCollection<Int>>(of members: Members) -> Int where Members.Index == Int {
        guard !members.isEmpty else { return 0 }
        let settings = problem.settings
        var weight = 0
        var distinctRoles = 0
        var earliest = Double.infinity
        var latest = -Double.infinity
        for (position, member) in members.enumerated() {
            var sameDistrict = 1
            var roleSeen = false
            for earlier in members[members.startIndex..<(members.startIndex + position)] {
                if problem.district[earlier] == problem.district[member] { sameDistrict += 1 }
                if problem.role[earlier] == problem.role[member] { roleSeen = true }
            }
            if sameDistrict > settings.maxPerDistrict { weight += 1 }
            if !roleSeen { distinctRoles += 1 }
            for other in problem.avoid[member] where other > member && members.contains(other) { weight += 1 }
            if let offset = problem.utcOffset[member] {
                earliest = min(earliest, offset)
                latest = max(latest, offset)
            }
        }
        weight += max(0, settings.minRoles - distinctRoles)
        if let limit = settings.maxUTCSpreadHours, latest - earliest > limit {
            weight += Int(((latest - earliest - limit) * 4).rounded(.up))
        }
        return weight
    }

    /// (distinct districts, distinct roles) of a group: the tie-breaks' measure.
    func diversity(of group: Int) -> (districts: Int, roles: Int) {
        diversity(of: groups[group].members)
    }

    func diversity(of members: [Int]) -> (districts: Int, roles: Int) {
        (distinctCount(members, of: problem.district), distinctCount(members, of: problem.role))
    }

    /// Distinct values of `attribute` among `members` (a group is small: no set needed).
    func distinctCount(_ members: [Int], of attribute: [Int]) -> Int {
        var count = 0
        for (position, member) in members.enumerated()
        where !members[..<position].contains(where: { attribute[$0] == attribute[member] }) {
            count += 1
        }
        return count
    }

}
