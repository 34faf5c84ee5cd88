import ILCAnalysis
import ILCCore
import Testing

@Suite struct KnowledgeMatcherTests {
    static func series(_ id: String, baseline: Double, values: [Double], direction: IndicatorSeries.Direction = .increase, target: Double? = nil)
        -> IndicatorSeries {
        IndicatorSeries(
            id: id, name: "Average daily attendance", direction: direction, baseline: baseline, baselineOn: "2026-09-01", target: target,
            observations: values.enumerated().map { .init(date: "2026-1\($0.offset)-15", value: $0.element, sampleSize: 100 + $0.offset) })
    }

    static func profile(_ id: String, tenant: String, moved: Bool, text: String = "chronic absenteeism in middle school grades") -> CollectiveProfile {
        CollectiveProfile(
            id: id, tenant: tenant, theme: "attendance", problemOfPractice: "Our problem: \(text)",
            theoryOfAction: "If we call families of absent students every morning then \(text) falls",
            indicators: [series("\(id)-i", baseline: 80, values: moved ? [83, 88] : [80, 79])],
            evidenceCategories: [.perceptions, .schoolProcesses])
    }

    @Test func impactIsMeasuredTowardTheTargetsDirection() throws {
        let rising = try #require(IndicatorImpact(Self.series("a", baseline: 80, values: [84, 90], target: 100)))
        #expect(rising.change == 10)
        #expect(rising.progress == 0.5)
        #expect(rising.latestOn == "2026-11-15")
        #expect(rising.sampleSize == 101)
        // Fewer absences is the goal: a drop is progress.
        let falling = try #require(IndicatorImpact(Self.series("b", baseline: 20, values: [18, 15], direction: .decrease, target: 10)))
        #expect(falling.change == 5)
        #expect(falling.progress == 0.5)
        let worse = try #require(IndicatorImpact(Self.series("c", baseline: 20, values: [25], direction: .decrease, target: 10)))
        #expect(worse.progress < 0)
        #expect(IndicatorImpact.score(of: [worse]) == 0)
        // Without a target, the relative change; without values after the baseline, nothing.
        #expect(IndicatorImpact(Self.series("d", baseline: 50, values: [55]))?.progress == 0.1)
        #expect(IndicatorImpact(IndicatorSeries(id: "e", name: "x", baseline: 50, baselineOn: "2026-09-01")) == nil)
        #expect(IndicatorImpact(IndicatorSeries(id: "f", name: "x", observations: [.init(date: "2026-10-01", value: 3)])) == nil)
    }

    @Test(arguments: SharingPolicy.allCases)
    func consentDecidesWhoMayLearnFromWhom(policy: SharingPolicy) {
        for other in SharingPolicy.allCases {
            let consent = SharingConsent(policies: ["a": policy, "b": other])
            let profiles = [
                Self.profile("a-source", tenant: "a", moved: true), Self.profile("a-target", tenant: "a", moved: false),
                Self.profile("b-source", tenant: "b", moved: true), Self.profile("b-target", tenant: "b", moved: false),
            ]
            let pairs = Set(KnowledgeMatcher().suggestions(for: profiles, consent: consent).map { "\($0.source)→\($0.target)" })
            #expect(pairs.contains("a-source→a-target") == (policy != .none))
            #expect(pairs.contains("b-source→b-target") == (other != .none))
            let both = policy == .network && other == .network
            #expect(pairs.contains("a-source→b-target") == both)
            #expect(pairs.contains("b-source→a-target") == both)
            // Only collectives that moved are sources.
            #expect(!pairs.contains { $0.hasPrefix("a-target") || $0.hasPrefix("b-target") })
        }
    }

    @Test func suggestionsExplainThemselvesAndRepeat() throws {
        let profiles = [
            Self.profile("source", tenant: "a", moved: true),
            Self.profile("target", tenant: "b", moved: false),
            Self.profile("unrelated", tenant: "b", moved: true, text: "fractions and algebra readiness in mathematics"),
        ]
        let consent = SharingConsent(policies: ["a": .network, "b": .network])
        let suggestions = KnowledgeMatcher().suggestions(for: profiles, consent: consent)
        #expect(suggestions == KnowledgeMatcher().suggestions(for: profiles, consent: consent))
        let suggestion = try #require(suggestions.first { $0.target == "target" })
        #expect(suggestion.source == "source")
        #expect(suggestion.crossTenant)
        #expect(suggestion.sharedTheme == "attendance")
        #expect(suggestion.matchingTerms.contains { $0.contains("absenteeism") })
        #expect(suggestion.indicatorChanges.map(\.latest) == [88])
        #expect(suggestion.impact > 0 && suggestion.score <= suggestion.similarity)
    }

    /// Marks move a source: accepted rises, dismissed sinks; a judged pair gives its
    /// place to the next best instead of coming back.
    @Test func marksOnEarlierSuggestionsChangeTheRanking() throws {
        let consent = SharingConsent(policies: ["a": .withinTenant])
        let profiles = [
            Self.profile("target", tenant: "a", moved: false),
            Self.profile("close", tenant: "a", moved: true),
            Self.profile("near", tenant: "a", moved: true, text: "chronic absenteeism in the middle grades"),
            Self.profile("far", tenant: "a", moved: true, text: "chronic absenteeism of students at our middle school"),
        ]
        let matcher = KnowledgeMatcher(settings: .init(suggestionsPerTarget: 2))
        func ranking(_ feedback: KnowledgeFeedback) -> [String] {
            matcher.suggestions(for: profiles, consent: consent, targets: ["target"], feedback: feedback).map(\.source)
        }
        let plain = ranking(KnowledgeFeedback())
        #expect(plain.count == 2 && plain.first == "close")
        let sunk = ranking(KnowledgeFeedback(marks: ["close": .init(accepted: 0, dismissed: 6)]))
        #expect(sunk.first != "close")
        let third = try #require(["near", "far"].first { !plain.contains($0) })
        let risen = matcher.suggestions(
            for: profiles, consent: consent, targets: ["target"], feedback: KnowledgeFeedback(marks: [third: .init(accepted: 6, dismissed: 0)]))
        #expect(risen.first?.source == third)
        #expect(risen.first?.marks == .init(accepted: 6, dismissed: 0))
        let judged = ranking(KnowledgeFeedback(judgedPairs: [.init(target: "target", source: "close")]))
        #expect(!judged.contains("close") && judged.count == 2)
        #expect(KnowledgeFeedback.Marks(accepted: 0, dismissed: 0).factor == 1)
    }

    @Test func plantedPairsAreFoundOnAGeneratedNetwork() {
        let network = SharingNetworkGenerator(tenants: 10, collectivesPerTenant: 40, plantedPairs: 40, seed: 3).make()
        let suggestions = KnowledgeMatcher().suggestions(for: network.profiles, consent: network.consent)
        var byTarget: [String: [String]] = [:]
        for suggestion in suggestions { byTarget[suggestion.target, default: []].append(suggestion.source) }
        let found = network.planted.filter { byTarget[$0.key]?.prefix(3).contains($0.value) == true }.count
        #expect(Double(found) / Double(network.planted.count) >= 0.9, "found \(found) of \(network.planted.count)")
        #expect(byTarget.values.allSatisfy { $0.count <= 3 })
    }

    @Test func anonymizingRemovesEveryKnownNameAndEmail() {
        let anonymizer = TextAnonymizer(names: [
            ("Pat Rivera", .person), ("Rivera", .person), ("Lincoln Middle School", .school), ("Lincoln", .school),
            ("Northfield USD", .district),
        ])
        let text = "Pat Rivera (pat.rivera@northfield.k12.us) at Lincoln Middle School in NORTHFIELD usd asked Ms. Rivera; Lincoln."
        #expect(anonymizer.anonymize(text) == "[person] ([email]) at [school] in [district] asked Ms. [person]; [school].")
        #expect(anonymizer.anonymize("Lincolnshire stays") == "Lincolnshire stays")
        #expect(anonymizer.anonymize("Pat Rivera's team and Rivera’s calls") == "[person]'s team and [person]’s calls")
    }
}
