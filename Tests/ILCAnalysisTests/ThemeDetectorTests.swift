import ILCAnalysis
import Testing

@Suite struct ThemeDetectorTests {
    /// Answers written from five planted themes, in educators' words, with shared filler.
    /// Each theme's answers share some words (as real ones do: "attendance", "absent")
    /// and vary in the rest.
    static let planted: [(theme: String, phrases: [String])] = [
        ("attendance", [
            "chronic absenteeism is rising", "students miss too many days", "attendance dropped after the break",
            "absences in grades 6 to 8", "families do not see why attendance matters", "tardies and truancy",
        ]),
        ("literacy", [
            "reading scores are flat", "phonics instruction in the early grades", "students struggle with comprehension",
            "the science of reading", "writing across the curriculum", "reading fluency for struggling readers",
        ]),
        ("mathematics", [
            "math achievement is low", "fractions and algebra readiness", "problem solving in mathematics",
            "math instruction lacks coherence", "numeracy in the primary grades", "students fear math tests",
        ]),
        ("family", [
            "parents rarely come to conferences", "family engagement nights", "communication with families at home",
            "community partners could help parents", "caregivers feel unwelcome", "translating messages for families",
        ]),
        ("sel", [
            "student mental health needs", "anxiety and trauma after the pandemic", "social emotional learning time",
            "wellbeing of our students", "behavior referrals keep growing", "relationships between students and adults",
        ]),
    ]

    static let cores: [String: [String]] = [
        "attendance": ["attendance is our worry:", "absent students:", "on attendance,"],
        "literacy": ["literacy is our worry:", "on reading and literacy,", "reading:"],
        "mathematics": ["math is our worry:", "on mathematics,", "in math,"],
        "family": ["family engagement is our worry:", "with families,", "on family engagement,"],
        "sel": ["wellbeing is our worry:", "on social emotional learning,", "student wellbeing:"],
    ]

    static let fillers = [
        "In our district", "At my school", "This year", "Our team believes", "As a principal I see that",
        "Teachers tell me", "From the central office",
    ]

    /// `perTheme` answers for each planted theme plus `outliers` that belong to none.
    static func corpus(perTheme: Int, outliers: Int = 0, seed: UInt64 = 7) -> (inputs: [ThemeInput], truth: [String?]) {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var inputs: [ThemeInput] = []
        var truth: [String?] = []
        for index in 0..<perTheme {
            for (theme, phrases) in planted {
                let first = phrases[next(phrases.count)]
                let second = phrases[next(phrases.count)]
                let core = cores[theme] ?? []
                let text = "\(fillers[next(fillers.count)]) \(core[next(core.count)]) \(first), and \(second)."
                inputs.append(ThemeInput(id: "\(theme)-\(index)", text: text))
                truth.append(theme)
            }
        }
        let unrelated = [
            "The parking lot needs repaving before winter", "Our new copier jams every morning",
            "Cafeteria menus were printed late", "Bus route seven changed its timetable",
        ]
        for index in 0..<outliers {
            inputs.append(ThemeInput(id: "outlier-\(index)", text: unrelated[index % unrelated.count]))
            truth.append(nil)
        }
        return (inputs, truth)
    }

    @Test func recoversPlantedThemesAndNamesThemFromTheCatalog() {
        let (inputs, truth) = Self.corpus(perTheme: 60, outliers: 8)
        let result = ThemeDetector().detect(inputs)
        #expect(result.themes.count == 5, "\(result.themes.map(\.label)) quality \(result.qualityByThemeCount)")

        // Each planted theme lands (almost) whole in one detected theme, a different one each.
        var landing: [String: String] = [:]
        for (theme, _) in Self.planted {
            var counts: [String: Int] = [:]
            for (assignment, planted) in zip(result.assignments, truth) where planted == theme {
                counts[assignment.themeID ?? "none", default: 0] += 1
            }
            let top = counts.max { $0.value < $1.value }
            #expect((top?.value ?? 0) >= 57, "\(theme): \(counts)")
            landing[theme] = top?.key
        }
        #expect(Set(landing.values).count == 5)

        let labels = Dictionary(uniqueKeysWithValues: result.themes.map { ($0.id, $0.catalogKey) })
        #expect(labels[landing["attendance"] ?? ""] == "attendance")
        #expect(labels[landing["literacy"] ?? ""] == "literacy")
        #expect(labels[landing["mathematics"] ?? ""] == "mathematics")
        #expect(labels[landing["family"] ?? ""] == "family")
        #expect(labels[landing["sel"] ?? ""] == "sel")
        for theme in result.themes {
            #expect(theme.quotes.count == 3)
            #expect(theme.cohesion > 0 && theme.cohesion <= 1)
            #expect(!theme.keywords.isEmpty)
        }
        // Largest first.
        #expect(result.themes.map(\.size) == result.themes.map(\.size).sorted(by: >))
    }

    @Test func answersThatFitNothingStayUnassigned() {
        let (inputs, truth) = Self.corpus(perTheme: 30, outliers: 8)
        let result = ThemeDetector(settings: .init(themeCount: 3...8)).detect(inputs)
        for (assignment, planted) in zip(result.assignments, truth) where planted == nil {
            #expect(assignment.themeID == nil, "\(assignment)")
        }
        let assigned = result.assignments.filter { $0.themeID != nil }
        #expect(assigned.allSatisfy { $0.secondThemeID != nil && ($0.secondScore ?? 1) <= $0.score })
    }

    @Test func sameSeedSameThemes() {
        let (inputs, _) = Self.corpus(perTheme: 40)
        let first = ThemeDetector(settings: .init(themeCount: 3...8, seed: 11)).detect(inputs)
        let second = ThemeDetector(settings: .init(themeCount: 3...8, seed: 11)).detect(inputs)
        #expect(first == second)
    }

    @Test func aFixedThemeCountIsKept() {
        let (inputs, _) = Self.corpus(perTheme: 30)
        let result = ThemeDetector(settings: .init(themeCount: 3...3)).detect(inputs)
        #expect(result.themes.count == 3)
        #expect(Array(result.qualityByThemeCount.keys) == [3])
    }

    @Test func uncataloguedThemesAreNamedFromTheirWords() {
        var (inputs, _) = Self.corpus(perTheme: 30)
        let robotics = ["robotics club", "robotics competition", "coding robots", "robotics kits"]
        for index in 0..<30 {
            inputs.append(ThemeInput(id: "robotics-\(index)", text: "We started a \(robotics[index % 4]) and \(robotics[(index + 1) % 4])"))
        }
        let result = ThemeDetector(settings: .init(themeCount: 4...8)).detect(inputs)
        let robot = result.themes.first { $0.keywords.contains { $0.contains("robotics") } }
        #expect(robot?.catalogKey == nil)
        #expect(robot?.label.lowercased().contains("robotics") == true, "\(result.themes.map(\.label))")
    }

    @Test func aTenantCatalogEntryNamesItsTheme() {
        var (inputs, _) = Self.corpus(perTheme: 30)
        for index in 0..<30 {
            inputs.append(ThemeInput(id: "stem-\(index)", text: "Our robotics club and coding robots program \(index % 3 == 0 ? "grew" : "needs mentors")"))
        }
        let catalog = ThemeCatalog.builtIn.extended(with: [
            .init(key: "stem", label: "STEM enrichment", keywords: ["robotics", "coding", "robots", "stem"]),
        ])
        let result = ThemeDetector(settings: .init(themeCount: 4...8, catalog: catalog)).detect(inputs)
        #expect(result.themes.contains { $0.label == "STEM enrichment" && $0.catalogKey == "stem" }, "\(result.themes.map(\.label))")
    }

    @Test func tooLittleTextGivesNoThemes() {
        let result = ThemeDetector().detect([ThemeInput(id: "1", text: "ok"), ThemeInput(id: "2", text: "")])
        #expect(result.themes.isEmpty)
        #expect(result.assignments.map(\.themeID) == [nil, nil])
    }
}
