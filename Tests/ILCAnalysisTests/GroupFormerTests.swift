import ILCAnalysis
import ILCCore
import Testing

@Suite struct GroupFormerTests {
    typealias Person = GroupFormationInput.Participant

    static let roles = ["teacher_leader", "instructional_coach", "principal", "central_office"]

    static func themes(_ count: Int) -> [GroupFormationInput.Theme] {
        (1...count).map { GroupFormationInput.Theme(id: "t\($0)", label: "Theme \($0)") }
    }

    /// `count` people choosing `preferences`, roles and districts cycling.
    static func people(_ prefix: String, _ count: Int, preferences: [String], districts: Int = 10) -> [Person] {
        (0..<count).map {
            Person(id: "\(prefix)\($0)", role: roles[$0 % roles.count], district: "d\($0 % districts)", preferences: preferences)
        }
    }

    static func form(_ input: GroupFormationInput, seed: UInt64 = 1) throws -> GroupFormationResult {
        try GroupFormer(options: .init(seed: seed)).form(input)
    }

    static func expectEveryRuleKept(_ result: GroupFormationResult, _ input: GroupFormationInput) {
        #expect(GroupRules.violations(of: result, for: input).values.allSatisfy { $0 == 0 })
        #expect(result.metrics.violations == GroupRules.violations(of: result, for: input))
        #expect(result.metrics.lowerBound <= result.metrics.objective)
    }

    @Test(arguments: [(500, 8, 40, nil), (300, 12, 25, 33), (200, 6, 12, 21), (120, 10, 60, nil)] as [(Int, Int, Int, Int?)])
    func generatedInstancesKeepEveryHardRule(participants: Int, themes: Int, districts: Int, maxGroups: Int?) throws {
        // A time-zone limit on top of a tight group limit can leave no seat for some:
        // it is tested without one.
        for utcSpread in maxGroups == nil ? [nil, 1.0] : [nil] {
            let settings = GroupSettings(maxGroups: maxGroups, maxUTCSpreadHours: utcSpread)
            let input = GroupInstanceGenerator(
                participants: participants, themes: themes, districts: districts, settings: settings, seed: UInt64(participants)
            ).make()
            let result = try Self.form(input)
            Self.expectEveryRuleKept(result, input)
            #expect(result.metrics.unplaced == 0)
            #expect(result.groups.allSatisfy { $0.members.count <= 10 })
            if let maxGroups { #expect(result.groups.count <= maxGroups) }
            #expect(result.metrics.minDistinctRoles >= 2)
        }
    }

    @Test func theSameSeedGivesTheSameGroups() throws {
        let input = GroupInstanceGenerator(participants: 400, themes: 9, districts: 30, settings: GroupSettings(maxGroups: 44), seed: 5)
            .make()
        #expect(try Self.form(input, seed: 3) == Self.form(input, seed: 3))
    }

    @Test func everyoneGetsTheirFirstChoiceWhenTheRulesAllow() throws {
        let input = GroupFormationInput(
            themes: Self.themes(3),
            participants: Self.people("a", 12, preferences: ["t1", "t2"]) + Self.people("b", 9, preferences: ["t2", "t3"]))
        let result = try Self.form(input)
        Self.expectEveryRuleKept(result, input)
        #expect(result.metrics.objective == 0)
        #expect(result.metrics.optimal)
        #expect(result.metrics.firstChoicePercent == 100)
        #expect(Set(result.groups.map(\.theme)) == ["t1", "t2"])
    }

    @Test func aThemeWithTooFewTakersFoldsIntoNextChoices() throws {
        let input = GroupFormationInput(
            themes: Self.themes(3),
            participants: Self.people("a", 12, preferences: ["t1"]) + Self.people("b", 2, preferences: ["t3", "t1"]))
        let result = try Self.form(input)
        Self.expectEveryRuleKept(result, input)
        #expect(result.folded.map { [$0.theme: $0.firstChoices] } == [["t3": 2]])
        #expect(result.metrics.objective == 2)
        #expect(result.metrics.worstRank == 2)
    }

    @Test func aBindingGroupLimitTradesChoicesAtTheLeastCost() throws {
        // Three themes, 6 people each: 3 groups wanted, 2 allowed. The cheapest answer
        // opens t2 and t3: the 6 of t1 take their second choice, and 2 of t2's take
        // theirs so t2 stays within 10 (cost 8); any other pair of themes costs more.
        let input = GroupFormationInput(
            settings: GroupSettings(maxGroups: 2),
            themes: Self.themes(3),
            participants: Self.people("a", 6, preferences: ["t1", "t2"]) + Self.people("b", 6, preferences: ["t2", "t3"])
                + Self.people("c", 6, preferences: ["t3"]))
        let result = try Self.form(input)
        Self.expectEveryRuleKept(result, input)
        #expect(result.groups.count == 2)
        #expect(result.metrics.objective == 8)
        #expect(result.metrics.lowerBound == 8)
        #expect(result.metrics.optimal)
    }

    @Test func districtCapsAndRoleMixAreKept() throws {
        // One district holds half the people of a theme: at most 3 of them per group.
        var people = Self.people("x", 12, preferences: ["t1"], districts: 1)
        people += (0..<12).map { Person(id: "y\($0)", role: "principal", district: "e\($0)", preferences: ["t1"]) }
        let input = GroupFormationInput(themes: Self.themes(2), participants: people)
        let result = try Self.form(input)
        Self.expectEveryRuleKept(result, input)
        #expect(result.metrics.unplaced == 0)
        #expect(result.groups.count >= 4)
    }

    @Test func rulesThatCannotBeKeptLeaveParticipantsUnplacedWithTheReason() throws {
        // Everyone from one district: groups of at most 3 < min_size 4.
        let oneDistrict = GroupFormationInput(themes: Self.themes(1), participants: Self.people("a", 10, preferences: ["t1"], districts: 1))
        let crowded = try Self.form(oneDistrict)
        #expect(crowded.groups.isEmpty)
        #expect(crowded.unplaced.count == 10)
        #expect(crowded.unplaced.allSatisfy { $0.reason.contains("max_per_district") || $0.reason.contains("min_size") })

        // One role only: no group reaches min_roles.
        let oneRole = GroupFormationInput(
            themes: Self.themes(1),
            participants: (0..<8).map { Person(id: "p\($0)", role: "principal", district: "d\($0)", preferences: ["t1"]) })
        let unmixed = try Self.form(oneRole)
        #expect(unmixed.groups.isEmpty)
        #expect(unmixed.unplaced.allSatisfy { $0.reason.contains("min_roles") || $0.reason.contains("min_size") })

        // Too few people, and too few seats.
        let few = try Self.form(GroupFormationInput(themes: Self.themes(1), participants: Self.people("a", 3, preferences: ["t1"])))
        #expect(few.unplaced.map(\.reason) == Array(repeating: "fewer participants (3) than min_size (4)", count: 3))
        let seats = GroupFormationInput(
            settings: GroupSettings(maxGroups: 2), themes: Self.themes(1), participants: Self.people("a", 23, preferences: ["t1"]))
        let full = try Self.form(seats)
        Self.expectEveryRuleKept(full, seats)
        #expect(full.unplaced.count == 3)
        #expect(full.unplaced.allSatisfy { $0.reason.hasPrefix("no room") })
    }

    @Test func invalidInputNamesEveryProblem() {
        let input = GroupFormationInput(
            settings: GroupSettings(minSize: 4, maxSize: 12),
            themes: Self.themes(2),
            participants: [
                Person(id: "a", role: "principal", district: "d", preferences: ["t1", "t9"]),
                Person(id: "a", role: "coach", district: "d", utcOffset: 20, preferences: ["t1", "t2", "t1", "t2"]),
            ],
            locks: [GroupFormationInput.Lock(participant: "a", group: "g", theme: nil), GroupFormationInput.Lock(participant: "zz")],
            avoid: [["a"]], together: [["a", "nobody"]])
        #expect(throws: GroupFormer.Failure.self) { try Self.form(input) }
        let fields = Set(input.problems().map(\.field))
        for field in [
            "/settings/max_size", "/participants/0/preferences/1", "/participants/1/id", "/participants/1/utc_offset",
            "/participants/1/preferences", "/locks/1/participant", "/locks/1", "/avoid/0", "/together/0/1",
        ] {
            #expect(fields.contains(field), "expected a problem at \(field)")
        }
    }

    @Test func locksHoldEvenAgainstPreferences() throws {
        var people = Self.people("a", 16, preferences: ["t1"])
        people += Self.people("b", 8, preferences: ["t2"])
        let input = GroupFormationInput(
            themes: Self.themes(2), participants: people,
            locks: [
                .init(participant: "a0", theme: "t2"),
                .init(participant: "a1", group: "facilitator-kim", theme: "t1"),
                .init(participant: "b1", group: "facilitator-kim"),
            ])
        let result = try Self.form(input)
        Self.expectEveryRuleKept(result, input)
        #expect(result.groups.first { $0.members.contains("a0") }?.theme == "t2")
        let kim = try #require(result.groups.first { $0.id == "facilitator-kim" })
        #expect(kim.theme == "t1")
        #expect(kim.members.contains("a1") && kim.members.contains("b1"))
        #expect(result.metrics.objective == 20)  // a0 and b1 on a theme not on their list
    }

    @Test func avoidPairsNeverShareAGroupAndTogetherPairsDoWhenFree() throws {
        let input = GroupFormationInput(
            themes: Self.themes(1), participants: Self.people("a", 16, preferences: ["t1"], districts: 16),
            avoid: [["a0", "a1"], ["a2", "a3"]], together: [["a4", "a5"], ["a6", "a7"], ["a8", "a9"]])
        for seed in 1...5 as ClosedRange<UInt64> {
            let result = try Self.form(input, seed: seed)
            Self.expectEveryRuleKept(result, input)
            #expect(result.metrics.togetherHonored == 3)
            #expect(result.metrics.togetherRequested == 3)
        }
    }

    @Test func timeZonesStayWithinTheSpread() throws {
        let people = (0..<40).map {
            Person(id: "p\($0)", role: Self.roles[$0 % 4], district: "d\($0 % 13)", utcOffset: Double(-8 + ($0 % 4)), preferences: ["t1"])
        }
        let input = GroupFormationInput(settings: GroupSettings(maxUTCSpreadHours: 1), themes: Self.themes(1), participants: people)
        let result = try Self.form(input)
        Self.expectEveryRuleKept(result, input)
        #expect(result.metrics.unplaced == 0)
    }
}
