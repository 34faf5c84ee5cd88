/// Synthetic group-formation inputs from a seed, for benchmarks, tests and demos:
/// districts of skewed sizes grouped into regions with their time zones, roles in
/// realistic shares (many teacher leaders, few superintendents), and theme choices
/// skewed the way survey answers are (a few themes popular, a long tail).
public struct GroupInstanceGenerator: Sendable {
    public var participants: Int
    public var themes: Int
    public var districts: Int
    public var settings: GroupSettings
    public var seed: UInt64

    public init(participants: Int, themes: Int, districts: Int, settings: GroupSettings = GroupSettings(), seed: UInt64) {
        self.participants = participants
        self.themes = themes
        self.districts = districts
        self.settings = settings
        self.seed = seed
    }

    /// Roles with their shares (per thousand).
    static let roleShares: [(String, Int)] = [
        ("teacher_leader", 380), ("instructional_coach", 200), ("principal", 150), ("assistant_principal", 110),
        ("central_office", 90), ("school_psychologist", 40), ("superintendent", 20), ("other", 10),
    ]

    static let regions: [(name: String, offset: Double)] = [
        ("Pacific", -8), ("Mountain", -7), ("Central", -6), ("Eastern", -5), ("Atlantic", -4),
    ]

    public func make() -> GroupFormationInput {
        var random = SeededRandom(seed: seed)
        let themeList = (0..<themes).map { GroupFormationInput.Theme(id: "theme-\($0 + 1)", label: "Theme \($0 + 1)") }
        // Zipf-like weights: theme k is chosen in proportion to 1 / (k + 2).
        let themeWeights = (0..<themes).map { 1 / Double($0 + 2) }
        let districtWeights = (0..<districts).map { 1 / Double($0 + 3) }
        let roleWeights = Self.roleShares.map { Double($0.1) }
        var people: [GroupFormationInput.Participant] = []
        people.reserveCapacity(participants)
        for index in 0..<participants {
            let district = Self.draw(districtWeights, &random)
            let region = Self.regions[district % Self.regions.count]
            var preferences: [String] = []
            // Most rank three themes; some one or two.
            let wanted = min(themes, [3, 3, 3, 3, 3, 3, 3, 2, 2, 1][random.index(below: 10)])
            while preferences.count < wanted {
                let theme = themeList[Self.draw(themeWeights, &random)].id
                if !preferences.contains(theme) { preferences.append(theme) }
            }
            people.append(GroupFormationInput.Participant(
                id: "p\(index + 1)", role: Self.roleShares[Self.draw(roleWeights, &random)].0, district: "district-\(district + 1)",
                region: region.name, utcOffset: region.offset, preferences: preferences))
        }
        return GroupFormationInput(settings: settings, themes: themeList, participants: people)
    }

    /// The n-th instance of the quality comparison: 30–80 participants, 6–10 themes,
    /// 5–13 districts, with `max_groups` one below what the unconstrained answer uses
    /// (never below what room needs), so the limit binds.
    public static func qualityInstance(_ number: Int, seed: UInt64) throws -> (GroupFormationInput, binding: Bool) {
        let size = 30 + (number * 37) % 51
        var input = GroupInstanceGenerator(
            participants: size, themes: 6 + number % 5, districts: 5 + (number * 3) % 9, seed: seed &+ UInt64(number)
        ).make()
        let free = try GroupFormer(options: .init(seed: seed)).form(input)
        let least = (size + input.settings.maxSize - 1) / input.settings.maxSize
        input.settings.maxGroups = max(least, free.groups.count - 1)
        return (input, (input.settings.maxGroups ?? 0) < free.groups.count)
    }

    private static func draw(_ weights: [Double], _ random: inout SeededRandom) -> Int {
        let total = weights.reduce(0, +)
        var target = random.unit() * total
        for (index, weight) in weights.enumerated() {
            target -= weight
            if target < 0 { return index }
        }
        return weights.count - 1
    }
}
