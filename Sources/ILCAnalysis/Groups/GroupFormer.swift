import ILCCore

/// Forms theme-based groups: (1) the theme allocation, exact by branch and bound
/// (`ThemeAllocation`), decides how many of each kind of participant go to each theme
/// and how many groups each theme gets, and gives the lower bound; (2) each theme's
/// people are dealt into its groups; (3) local search repairs the rules inside groups
/// (districts, roles, avoid pairs, time zones), first within a theme, then across,
/// gives back better choices it can, honours together requests and raises the worst
/// group's diversity where that costs nothing. The same input and seed always give the
/// same answer.
public struct GroupFormer: Sendable {
    public struct Options: Sendable {
        public var seed: UInt64
        /// Branch-and-bound nodes before the allocation settles for its best so far
        /// (the bound still holds; `optimal` is then false)…
        public var allocationNodeLimit: Int
        /// …and fewer on large instances: at most this many kind × theme arcs over all
        /// nodes (a count, not a clock, so every run repeats exactly).
        public var allocationWorkLimit: Int

        public init(seed: UInt64 = 1, allocationNodeLimit: Int = 20_000, allocationWorkLimit: Int = 25_000_000) {
            self.seed = seed
            self.allocationNodeLimit = allocationNodeLimit
            self.allocationWorkLimit = allocationWorkLimit
        }
    }

    /// Where a run is, for progress reports.
    public enum Stage: String, Sendable {
        case allocating, grouping, improving
    }

    public enum Failure: Error, Sendable, Equatable {
        case invalid([ValidationError])
    }

    public let options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    public func form(_ input: GroupFormationInput, progress: (Stage) -> Void = { _ in }) throws -> GroupFormationResult {
        let problems = input.problems()
        guard problems.isEmpty else { throw Failure.invalid(problems) }
        let problem = GroupProblem(input).choosingLockedGroupThemes()
        var random = SeededRandom(seed: options.seed)
        var assignment = GroupAssignment(problem: problem)
        let settings = input.settings

        progress(.allocating)
        let kinds = Self.kinds(of: problem)
        var outcome: ThemeAllocation.Outcome?
        var leftOut = 0
        if problem.participantCount >= settings.minSize {
            // The fewest left out with which the allocation finds a solution: room decides
            // it almost always; else a binary search (leaving more out never hurts).
            let surplus = settings.maxGroups.map { max(0, problem.participantCount - $0 * settings.maxSize) } ?? 0
            var found: (Int, ThemeAllocation.Outcome)?
            var low = surplus
            var high = problem.participantCount
            while low <= high {
                let middle = found == nil && low == surplus ? surplus : (low + high) / 2
                let attempt = allocation(kinds, problem: problem, unplaced: middle).solve()
                if attempt.best != nil {
                    found = (middle, attempt)
                    high = middle - 1
                } else {
                    low = middle + 1
                }
            }
            if let found { (leftOut, outcome) = found }
        }
        guard let outcome, let solution = outcome.best, problem.roleCount >= settings.minRoles else {
            let reason = problem.participantCount < settings.minSize
                ? "fewer participants (\(problem.participantCount)) than min_size (\(settings.minSize))"
                : problem.roleCount < settings.minRoles
                ? "only \(problem.roleCount) role(s) among the participants, fewer than min_roles (\(settings.minRoles))"
                : "no split into groups within the rules seats anyone"
            for participant in 0..<problem.participantCount { assignment.unplace(participant, reason: reason) }
            return describe(assignment, lowerBound: 0, optimal: true)
        }

        progress(.grouping)
        let split = "no split into groups that keeps min_size…max_size, max_per_district"
            + (settings.maxGroups == nil ? "" : ", max_groups") + " and every lock seats everyone"
        let roomReason = settings.maxGroups.flatMap { groups in
            problem.participantCount > groups * settings.maxSize
                ? "no room: max_groups × max_size (\(groups * settings.maxSize)) seats are fewer than the participants" : nil
        } ?? split
        var themeMembers = [[Int]](repeating: [], count: problem.themeCount)
        for (kind, members) in kinds.members.enumerated() {
            var shuffled = members
            random.shuffle(&shuffled)
            // Locked people first, so the unplaced column takes the free ones.
            shuffled.sort { (problem.lockedGroup[$0] == nil ? 1 : 0) < (problem.lockedGroup[$1] == nil ? 1 : 0) }
            var position = 0
            for (theme, count) in solution.counts[kind].enumerated() {
                for member in shuffled[position..<(position + count)] {
                    if theme < problem.themeCount { themeMembers[theme].append(member) } else { assignment.unplace(member, reason: roomReason) }
                }
                position += count
            }
        }
        for theme in 0..<problem.themeCount where !themeMembers[theme].isEmpty {
            assignment.deal(themeMembers[theme], theme: theme, groupCount: solution.groups[theme], random: &random)
        }

        progress(.improving)
        let limit = Self.partnerLimit(groupCount: assignment.groups.count)
        assignment.repair(crossTheme: false, partnerLimit: limit, random: &random)
        assignment.repair(crossTheme: true, partnerLimit: limit, random: &random)
        assignment.improveCost(partnerLimit: limit, random: &random)
        assignment.repair(crossTheme: true, partnerLimit: limit, random: &random)
        assignment.honorTogether()
        assignment.improveDiversity(partnerLimit: limit, random: &random)
        assignment.enforceRules()

        var lowerBound = outcome.lowerBound ?? 0
        var complete = outcome.complete
        let unplacedCount = assignment.unplacedReasons.count
        if unplacedCount != leftOut || problem.hasLockedGroupWithoutTheme {
            // The bound must hold for any answer placing as many, with no theme chosen for
            // anyone: the allocation again, on the unchanged problem.
            let plain = GroupProblem(input)
            let bound = allocation(Self.kinds(of: plain), problem: plain, unplaced: unplacedCount).solve()
            lowerBound = bound.lowerBound ?? lowerBound
            complete = bound.complete
        }
        let cost = assignment.totalCost
        return describe(assignment, lowerBound: lowerBound, optimal: complete && cost == lowerBound)
    }

    private func allocation(_ kinds: Kinds, problem: GroupProblem, unplaced: Int) -> ThemeAllocation {
        var leastGroups = [Int](repeating: 0, count: problem.themeCount)
        for group in problem.lockedGroups { if let theme = group.theme { leastGroups[theme] += 1 } }
        return ThemeAllocation(
            kinds: kinds.kinds, themeCount: problem.themeCount, minSize: problem.settings.minSize,
            maxSize: problem.settings.maxSize, maxGroups: problem.settings.maxGroups,
            maxPerDistrict: problem.settings.maxPerDistrict, trackedDistricts: kinds.trackedDistricts, leastGroups: leastGroups, unplaced: unplaced,
            nodeLimit: min(options.allocationNodeLimit, max(50, options.allocationWorkLimit / max(1, kinds.kinds.count * (problem.themeCount + 1)))))
    }

    /// The allocation's units: participants who rank every theme alike, split by
    /// district for the biggest districts (those that could break `max_per_district`),
    /// as many as keep the kinds within `budget` so the bound stays quick to compute.
    struct Kinds {
        var kinds: [ThemeAllocation.Kind] = []
        var members: [[Int]] = []
        var trackedDistricts = 0
    }

    static func kinds(of problem: GroupProblem, budget: Int = 3_000) -> Kinds {
        let vectors = (0..<problem.participantCount).map { participant in
            (0..<problem.themeCount).map { problem.cost(participant, $0) }
        }
        var membersOfDistrict = [[Int]](repeating: [], count: problem.districtCount)
        for participant in 0..<problem.participantCount { membersOfDistrict[problem.district[participant]].append(participant) }
        var kindCount = Set(vectors).count
        var tracked: [Int: Int] = [:]
        let candidates = (0..<problem.districtCount)
            .filter { membersOfDistrict[$0].count > problem.settings.maxPerDistrict }
            .sorted { (membersOfDistrict[$0].count, -$0) > (membersOfDistrict[$1].count, -$1) }
        for district in candidates {
            let added = Set(membersOfDistrict[district].map { vectors[$0] }).count
            guard kindCount + added <= budget else { break }
            kindCount += added
            tracked[district] = tracked.count
        }
        struct Key: Hashable {
            var costs: [Int?]
            var district: Int?
        }
        var index: [Key: Int] = [:]
        var result = Kinds(trackedDistricts: tracked.count)
        for participant in 0..<problem.participantCount {
            let key = Key(costs: vectors[participant], district: tracked[problem.district[participant]])
            if let existing = index[key] {
                result.kinds[existing].supply += 1
                result.members[existing].append(participant)
            } else {
                index[key] = result.kinds.count
                result.kinds.append(ThemeAllocation.Kind(supply: 1, costs: key.costs, district: key.district))
                result.members.append([participant])
            }
        }
        return result
    }

    /// Every group is a partner on small instances; a sample on large ones.
    static func partnerLimit(groupCount: Int) -> Int {
        groupCount <= 200 ? groupCount : 40
    }
}

