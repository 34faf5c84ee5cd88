import ILCCore

/// A synthetic network for benchmarks and tests: tenants × collectives on the built-in
/// catalog's themes, placemats written from each theme's words plus common filler, a
/// share of collectives whose indicators moved, and planted pairs — a target and a
/// source (in the same or, for network tenants, another tenant) sharing a specific
/// problem nobody else has, the source with evidence of impact, the target without.
public struct SharingNetworkGenerator: Sendable {
    public struct Network: Sendable {
        public var profiles: [CollectiveProfile]
        public var consent: SharingConsent
        /// Target id → the source id planted for it.
        public var planted: [String: String]
    }

    public var tenants: Int
    public var collectivesPerTenant: Int
    public var plantedPairs: Int
    public var seed: UInt64

    public init(tenants: Int, collectivesPerTenant: Int, plantedPairs: Int, seed: UInt64) {
        self.tenants = tenants
        self.collectivesPerTenant = collectivesPerTenant
        self.plantedPairs = plantedPairs
        self.seed = seed
    }

    static let filler = [
        "students", "teachers", "school", "our", "data", "improve", "plan", "year", "team", "grade", "support", "staff",
        "families", "learning", "outcomes", "strategies", "practice", "time", "weekly", "district",
    ]

    public func make() -> Network {
        var random = SeededRandom(seed: seed)
        let themes = ThemeCatalog.builtIn.entries
        var profiles: [CollectiveProfile] = []
        for tenant in 0..<tenants {
            for number in 0..<collectivesPerTenant {
                let theme = themes[random.index(below: themes.count)]
                let moved = random.unit() < 0.3
                profiles.append(profile(
                    id: "t\(tenant)-c\(number)", tenant: "tenant-\(tenant)", theme: theme, specific: [], moved: moved, random: &random))
            }
        }
        // Planted pairs replace existing collectives: targets and sources never repeat.
        var planted: [String: String] = [:]
        var order = Array(profiles.indices)
        random.shuffle(&order)
        for pair in 0..<min(plantedPairs, order.count / 2) {
            let (target, source) = (order[2 * pair], order[2 * pair + 1])
            let theme = themes[random.index(below: themes.count)]
            let specific = (0..<3).map { _ in Self.pseudoWord(&random) }
            profiles[target] = profile(
                id: profiles[target].id, tenant: profiles[target].tenant, theme: theme, specific: specific, moved: false, random: &random)
            profiles[source] = profile(
                id: profiles[source].id, tenant: profiles[source].tenant, theme: theme, specific: specific, moved: true, random: &random)
            planted[profiles[target].id] = profiles[source].id
        }
        let policies = Dictionary(uniqueKeysWithValues: (0..<tenants).map { ("tenant-\($0)", SharingPolicy.network) })
        return Network(profiles: profiles, consent: SharingConsent(policies: policies), planted: planted)
    }

    private func profile(
        id: String, tenant: String, theme: ThemeCatalog.Entry, specific: [String], moved: Bool, random: inout SeededRandom
    ) -> CollectiveProfile {
        func words(_ count: Int) -> String {
            (0..<count).map { index in
                index % 2 == 0 ? theme.keywords[random.index(below: theme.keywords.count)] : Self.filler[random.index(below: Self.filler.count)]
            }.joined(separator: " ")
        }
        let problem = "Our problem of practice: " + words(8) + (specific.isEmpty ? "" : " " + specific.joined(separator: " ") + " " + specific.joined(separator: " "))
        let theory = "If we " + words(6) + " then " + words(4) + (specific.isEmpty ? "" : " " + specific[0])
        let baseline = 40 + Double(random.index(below: 30))
        let gain = moved ? 5 + Double(random.index(below: 15)) : Double(random.index(below: 5)) - 4
        let indicator = IndicatorSeries(
            id: "\(id)-i1", name: theme.keywords[0] + " rate", direction: .increase, baseline: baseline, baselineOn: "2026-09-01",
            target: baseline + 20,
            observations: [
                .init(date: "2026-11-01", value: baseline + gain / 2, sampleSize: 120),
                .init(date: "2027-02-01", value: baseline + gain, sampleSize: 118),
            ])
        let categories = Set(EvidenceCategory.allCases.filter { _ in random.unit() < 0.5 })
        return CollectiveProfile(
            id: id, tenant: tenant, theme: theme.key, problemOfPractice: problem, theoryOfAction: theory, indicators: [indicator],
            evidenceCategories: categories)
    }

    private static func pseudoWord(_ random: inout SeededRandom) -> String {
        let consonants = Array("bdfgklmnprstvz")
        let vowels = Array("aeiou")
        return String((0..<6).map { $0 % 2 == 0 ? consonants[random.index(below: consonants.count)] : vowels[random.index(below: vowels.count)] })
    }
}
