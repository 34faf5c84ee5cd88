/// The input in indices, with every participant's rank cost for every theme, which is
/// what the algorithms work on. Build it from a validated `GroupFormationInput`.
struct GroupProblem: Sendable {
    /// Rank cost of a participant's first, second and third choice…
    static let rankCosts = [0, 1, 3]
    /// …and of a theme not on their list.
    static let unlistedCost = 10

    /// Participants locked together into one group (a facilitator's group).
    struct LockedGroup: Sendable {
        let label: String
        var theme: Int?
        var members: [Int]
    }

    let input: GroupFormationInput
    let settings: GroupSettings
    let themeCount: Int
    let participantCount: Int
    /// `participant * themeCount + theme`.
    private let costs: [Int]
    private let ranks: [UInt8]
    /// A theme lock: every other theme is out of reach.
    private(set) var lockedTheme: [Int?]
    let lockedGroup: [Int?]
    private(set) var lockedGroups: [LockedGroup]
    let district: [Int]
    let role: [Int]
    let districtCount: Int
    let roleCount: Int
    /// UTC offset in hours; nil when not given.
    let utcOffset: [Double?]
    let avoid: [[Int]]
    let together: [[Int]]

    init(_ input: GroupFormationInput) {
        self.input = input
        settings = input.settings
        themeCount = input.themes.count
        participantCount = input.participants.count
        let themeIndex = Dictionary(input.themes.enumerated().map { ($1.id, $0) }) { first, _ in first }
        let participantIndex = Dictionary(input.participants.enumerated().map { ($1.id, $0) }) { first, _ in first }

        var costs = [Int](repeating: Self.unlistedCost, count: participantCount * themeCount)
        var ranks = [UInt8](repeating: 4, count: participantCount * themeCount)
        for (index, participant) in input.participants.enumerated() {
            let choices = participant.preferences.isEmpty ? participant.detectedTheme.map { [$0] } ?? [] : participant.preferences
            for (rank, id) in choices.prefix(3).enumerated() {
                guard let theme = themeIndex[id] else { continue }
                costs[index * themeCount + theme] = Self.rankCosts[rank]
                ranks[index * themeCount + theme] = UInt8(rank + 1)
            }
        }
        self.costs = costs
        self.ranks = ranks

        var lockedTheme = [Int?](repeating: nil, count: participantCount)
        var lockedGroup = [Int?](repeating: nil, count: participantCount)
        var groups: [LockedGroup] = []
        var groupIndex: [String: Int] = [:]
        for lock in input.locks {
            guard let participant = participantIndex[lock.participant] else { continue }
            let theme = lock.theme.flatMap { themeIndex[$0] }
            if let theme { lockedTheme[participant] = theme }
            guard let label = lock.group else { continue }
            let index = groupIndex[label] ?? {
                groups.append(LockedGroup(label: label, theme: nil, members: []))
                groupIndex[label] = groups.count - 1
                return groups.count - 1
            }()
            groups[index].members.append(participant)
            if let theme { groups[index].theme = theme }
            lockedGroup[participant] = index
        }
        // A group's theme binds every member locked into it.
        for group in groups {
            guard let theme = group.theme else { continue }
            for member in group.members { lockedTheme[member] = theme }
        }
        self.lockedTheme = lockedTheme
        self.lockedGroup = lockedGroup
        lockedGroups = groups

        (district, districtCount) = Self.indices(input.participants.map(\.district))
        (role, roleCount) = Self.indices(input.participants.map(\.role))
        utcOffset = input.participants.map(\.utcOffset)

        avoid = Self.adjacency(input.avoid, participantIndex: participantIndex, count: participantCount)
        together = Self.adjacency(input.together, participantIndex: participantIndex, count: participantCount)
    }

    /// Each distinct value numbered in order of first appearance.
    private static func indices(_ values: [String]) -> ([Int], Int) {
        var seen: [String: Int] = [:]
        let mapped = values.map { value in
            if let index = seen[value] { return index }
            seen[value] = seen.count
            return seen.count - 1
        }
        return (mapped, seen.count)
    }

    private static func adjacency(_ pairs: [[String]], participantIndex: [String: Int], count: Int) -> [[Int]] {
        var lists = [[Int]](repeating: [], count: count)
        for pair in pairs where pair.count == 2 {
            guard let first = participantIndex[pair[0]], let second = participantIndex[pair[1]], first != second else { continue }
            if !lists[first].contains(second) { lists[first].append(second) }
            if !lists[second].contains(first) { lists[second].append(first) }
        }
        return lists
    }

    /// The same problem with a theme fixed for every locked group that has none: the
    /// one its members rank best together (the solution needs one; the lower bound
    /// is computed without this choice).
    func choosingLockedGroupThemes() -> GroupProblem {
        var chosen = self
        for (index, group) in lockedGroups.enumerated() where group.theme == nil {
            let best = (0..<themeCount).min { first, second in
                (total(group.members, first), first) < (total(group.members, second), second)
            } ?? 0
            chosen.lockedGroups[index].theme = best
            for member in group.members { chosen.lockedTheme[member] = best }
        }
        return chosen
    }

    private func total(_ members: [Int], _ theme: Int) -> Int {
        members.reduce(0) { $0 + searchCost($1, theme) }
    }

    var hasLockedGroupWithoutTheme: Bool {
        lockedGroups.contains { $0.theme == nil }
    }

    /// The rank cost of `theme` for `participant`; nil when a lock rules it out.
    func cost(_ participant: Int, _ theme: Int) -> Int? {
        if let locked = lockedTheme[participant], locked != theme { return nil }
        return costs[participant * themeCount + theme]
    }

    /// 1–3 for a listed choice, 4 for a theme not on the list.
    func rank(_ participant: Int, _ theme: Int) -> Int {
        Int(ranks[participant * themeCount + theme])
    }

    /// The cost as the search uses it: a ruled-out theme is far dearer than any choice.
    func searchCost(_ participant: Int, _ theme: Int) -> Int {
        cost(participant, theme) ?? 1_000
    }
}
