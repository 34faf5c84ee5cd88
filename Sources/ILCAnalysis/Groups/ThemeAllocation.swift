/// How many participants of each kind go to each theme, and how many groups each
/// theme gets: the part of group formation that decides the objective. Solved by
/// branch and bound over each theme's number of groups; every node's bound is a
/// minimum-cost flow (participants to themes, each theme's head count between
/// `min_size` and `max_size` times its group range, and no more of a big district than
/// `max_per_district` times its groups). Dropping the other rules inside groups (roles,
/// avoid pairs, time zones, which district shares which group) makes it a relaxation,
/// so its bound is a lower bound on any assignment that keeps them.
struct ThemeAllocation {
    /// Participants who rank every theme alike (and share a tracked district).
    struct Kind {
        var supply: Int
        /// Per theme; nil where a lock rules the theme out.
        var costs: [Int?]
        /// Index among the tracked districts, if theirs is one.
        var district: Int?
    }

    struct Solution {
        /// `[kind][theme]`, the last column being the unplaced.
        var counts: [[Int]]
        /// `[theme][tracked district]`.
        var districtCounts: [[Int]]
        /// Per theme; set once the counts are known to split into groups.
        var groups: [Int]
        var cost: Int
    }

    struct Outcome {
        /// Nil when no allocation places all but `unplaced` participants.
        var best: Solution?
        var lowerBound: Int?
        /// The search finished: `best` is optimal.
        var complete: Bool
    }

    let kinds: [Kind]
    let themeCount: Int
    let minSize: Int
    let maxSize: Int
    let maxGroups: Int?
    let maxPerDistrict: Int
    /// Districts big enough to break `max_per_district` that the bound keeps track of.
    let trackedDistricts: Int
    /// Groups a theme must have (facilitators' locked groups).
    let leastGroups: [Int]
    /// How many participants stay out of every group.
    let unplaced: Int
    let nodeLimit: Int

    private var participantCount: Int { kinds.reduce(0) { $0 + $1.supply } }

    private struct Node {
        var least: [Int]
        var most: [Int]
        var bound: Int
        /// Head count per theme in the relaxation…
        var totals: [Int]
        /// …and of its most crowded tracked district (nodes keep no more: thousands of
        /// them may wait in the queue).
        var districtPeaks: [Int]
        var depth: Int
    }

    private enum Verdict {
        /// With the groups each theme gets.
        case feasible([Int])
        case branch(theme: Int, upperOfLeft: Int, lowerOfRight: Int)
    }

    func solve() -> Outcome {
        let unlimited = participantCount
        let root = (least: leastGroups, most: [Int](repeating: maxGroups ?? unlimited, count: themeCount))
        var evaluations = 0
        guard let first = evaluate(least: root.least, most: root.most, depth: 0, evaluations: &evaluations) else {
            return Outcome(best: nil, lowerBound: nil, complete: true)
        }
        var incumbent: Solution?
        var open: [Node] = []
        // A dive first: its leaf prunes most of the tree that follows.
        var stack = [first]
        while evaluations < nodeLimit, let node = stack.popLast() {
            switch verdict(node) {
            case .feasible(let groups):
                incumbent = solution(of: node, groups: groups)
            case .branch(let theme, let upper, let lower):
                let children = branch(node, theme: theme, upper: upper, lower: lower, evaluations: &evaluations)
                open += children.dropFirst()
                if let better = children.first { stack.append(better) }
            }
            if incumbent != nil { break }
        }
        open += stack
        // Then best bound first: a popped node whose bound reaches the incumbent ends it.
        while evaluations < nodeLimit, let index = open.indices.min(by: { Self.before(open[$0], open[$1]) }) {
            let node = open.remove(at: index)
            if let best = incumbent, node.bound >= best.cost {
                open.removeAll()
                break
            }
            switch verdict(node) {
            case .feasible(let groups):
                if incumbent.map({ node.bound < $0.cost }) ?? true { incumbent = solution(of: node, groups: groups) }
            case .branch(let theme, let upper, let lower):
                open += branch(node, theme: theme, upper: upper, lower: lower, evaluations: &evaluations)
            }
        }
        let openBound = open.map(\.bound).min()
        let lowerBound = [openBound, incumbent?.cost].compactMap { $0 }.min()
        return Outcome(best: incumbent, lowerBound: lowerBound, complete: openBound == nil)
    }

    private static func before(_ first: Node, _ second: Node) -> Bool {
        (first.bound, -first.depth) < (second.bound, -second.depth)
    }

    /// The children that can still hold a solution, the more promising first.
    private func branch(_ node: Node, theme: Int, upper: Int, lower: Int, evaluations: inout Int) -> [Node] {
        var left = node.most
        left[theme] = upper
        var right = node.least
        right[theme] = lower
        let children = [
            evaluate(least: node.least, most: left, depth: node.depth + 1, evaluations: &evaluations),
            evaluate(least: right, most: node.most, depth: node.depth + 1, evaluations: &evaluations),
        ].compactMap { $0 }
        return children.sorted { $0.bound < $1.bound }
    }

    /// Whether the relaxation's head counts can be cut into groups as they are.
    private func verdict(_ node: Node) -> Verdict {
        let totals = node.totals
        var groups = [Int](repeating: 0, count: themeCount)
        var worstSmall: (theme: Int, size: Int)?
        for theme in 0..<themeCount where totals[theme] > 0 {
            let size = totals[theme]
            let needed = max(node.least[theme], (size + maxSize - 1) / maxSize)
            groups[theme] = needed
            if needed * minSize > size, worstSmall.map({ size < $0.size }) ?? true { worstSmall = (theme, size) }
        }
        if let (theme, size) = worstSmall {
            // Too few for one group: close the theme or fill a group. In a gap between
            // group counts: fewer groups or more people.
            let count = max(node.least[theme], (size + maxSize - 1) / maxSize)
            return size < minSize && node.least[theme] == 0
                ? .branch(theme: theme, upperOfLeft: 0, lowerOfRight: 1)
                : .branch(theme: theme, upperOfLeft: count - 1, lowerOfRight: count)
        }
        // A big district over its cap in a theme: fewer people there, or more groups.
        var crowded: (theme: Int, excess: Int)?
        for theme in 0..<themeCount where groups[theme] > 0 {
            let excess = node.districtPeaks[theme] - maxPerDistrict * groups[theme]
            if excess > 0, crowded.map({ excess > $0.excess }) ?? true { crowded = (theme, excess) }
        }
        if let (theme, _) = crowded {
            return .branch(theme: theme, upperOfLeft: groups[theme], lowerOfRight: groups[theme] + 1)
        }
        guard let maxGroups, groups.reduce(0, +) > maxGroups else { return .feasible(groups) }
        // Too many groups: the theme with the most empty seats loses one, or keeps them all.
        var choice = -1
        var emptiest = -1
        for theme in 0..<themeCount where groups[theme] > node.least[theme] {
            let empty = groups[theme] * maxSize - totals[theme]
            if empty > emptiest { (choice, emptiest) = (theme, empty) }
        }
        return .branch(theme: choice, upperOfLeft: groups[choice] - 1, lowerOfRight: groups[choice])
    }

    /// A leaf's full allocation, computed again (nodes do not keep it).
    private func solution(of node: Node, groups: [Int]) -> Solution? {
        guard let ranges = ranges(least: node.least, most: node.most),
              var solution = flow(lower: ranges.lower, upper: ranges.upper, groupCeiling: ranges.groupCeiling) else { return nil }
        solution.groups = groups
        return solution
    }

    /// The node's relaxation, or nil when its ranges leave no solution.
    private func evaluate(least: [Int], most: [Int], depth: Int, evaluations: inout Int) -> Node? {
        evaluations += 1
        guard let ranges = ranges(least: least, most: most),
              let solution = flow(lower: ranges.lower, upper: ranges.upper, groupCeiling: ranges.groupCeiling) else { return nil }
        var totals = [Int](repeating: 0, count: themeCount)
        for counts in solution.counts {
            for theme in 0..<themeCount { totals[theme] += counts[theme] }
        }
        return Node(
            least: least, most: most, bound: solution.cost, totals: totals,
            districtPeaks: solution.districtCounts.map { $0.max() ?? 0 }, depth: depth)
    }

    /// Head-count ranges per theme (the last column: the unplaced) and the most groups
    /// each theme can have, from its group range; nil when the ranges cannot all hold.
    private func ranges(least: [Int], most: [Int]) -> (lower: [Int], upper: [Int], groupCeiling: [Int])? {
        let committed = least.reduce(0, +)
        if let maxGroups, committed > maxGroups { return nil }
        var lower = [Int](repeating: 0, count: themeCount + 1)
        var upper = [Int](repeating: 0, count: themeCount + 1)
        var groupCeiling = [Int](repeating: 0, count: themeCount)
        for theme in 0..<themeCount {
            var mostGroups = most[theme]
            if let maxGroups { mostGroups = min(mostGroups, maxGroups - (committed - least[theme])) }
            guard least[theme] <= mostGroups else { return nil }
            lower[theme] = least[theme] * minSize
            upper[theme] = min(participantCount, mostGroups * maxSize)
            groupCeiling[theme] = min(mostGroups, participantCount)
        }
        lower[themeCount] = unplaced
        upper[themeCount] = unplaced
        return (lower, upper, groupCeiling)
    }

    /// The cheapest assignment of kinds to themes within the head-count ranges: start
    /// everyone at their cheapest theme, then move the fewest-cost people until every
    /// range and district cap holds (mandatory moves priced far below zero). A kind of
    /// a tracked district reaches a theme through that (theme, district) pair's node,
    /// whose arc to the theme carries the cap.
    private func flow(lower: [Int], upper: [Int], groupCeiling: [Int]) -> Solution? {
        let columns = themeCount + 1
        let source = 0
        let sink = 1
        let themeNode = { 2 + $0 }
        let pairNode = { (theme: Int, district: Int) in 2 + columns + theme * trackedDistricts + district }
        let kindNode = { 2 + columns + themeCount * trackedDistricts + $0 }
        var network = MinCostFlow(nodeCount: 2 + columns + themeCount * trackedDistricts + kinds.count)
        let mandatory = -1_000_000
        // Staying out costs as much as the dearest theme, so that starting everyone at
        // their cheapest theme is already optimal for the flow.
        let unplacedCost = GroupProblem.unlistedCost
        var arcs: [[(node: Int, index: Int)?]] = []
        var load = [Int](repeating: 0, count: columns)
        var pairLoad = [[Int]](repeating: [Int](repeating: 0, count: trackedDistricts), count: themeCount)
        var required: [(node: Int, index: Int)] = []
        for (kind, entry) in kinds.enumerated() {
            var row: [(node: Int, index: Int)?] = []
            var cheapest: (theme: Int, cost: Int)?
            for theme in 0..<columns {
                let cost = theme == themeCount ? unplacedCost : entry.costs[theme]
                guard let cost else {
                    row.append(nil)
                    continue
                }
                let target = theme < themeCount ? entry.district.map { pairNode(theme, $0) } ?? themeNode(theme) : themeNode(theme)
                row.append(network.addArc(from: kindNode(kind), to: target, capacity: MinCostFlow.unbounded, cost: cost))
                if cheapest.map({ cost < $0.cost }) ?? true { cheapest = (theme, cost) }
            }
            guard let cheapest, let start = row[cheapest.theme] else { return nil }
            network.preload(start, amount: entry.supply)
            if cheapest.theme < themeCount, let district = entry.district {
                pairLoad[cheapest.theme][district] += entry.supply
            } else {
                load[cheapest.theme] += entry.supply
            }
            arcs.append(row)
        }
        var pairArcs: [[(node: Int, index: Int)]] = []
        for theme in 0..<themeCount {
            pairArcs.append((0..<trackedDistricts).map { district in
                let cap = maxPerDistrict * groupCeiling[theme]
                let arc = network.addArc(from: pairNode(theme, district), to: themeNode(theme), capacity: cap, cost: 0)
                let arrived = pairLoad[theme][district]
                network.preload(arc, amount: min(arrived, cap))
                load[theme] += min(arrived, cap)
                if arrived > cap {
                    required.append(network.addArc(from: source, to: pairNode(theme, district), capacity: arrived - cap, cost: mandatory))
                }
                return arc
            })
        }
        for theme in 0..<columns {
            let excess = max(0, load[theme] - upper[theme])
            let spare = min(load[theme], upper[theme]) - lower[theme]
            let shortfall = max(0, lower[theme] - load[theme])
            let room = upper[theme] - max(load[theme], lower[theme])
            if excess > 0 { required.append(network.addArc(from: source, to: themeNode(theme), capacity: excess, cost: mandatory)) }
            if spare > 0 { network.addArc(from: source, to: themeNode(theme), capacity: spare, cost: 0) }
            if shortfall > 0 { required.append(network.addArc(from: themeNode(theme), to: sink, capacity: shortfall, cost: mandatory)) }
            if room > 0 { network.addArc(from: themeNode(theme), to: sink, capacity: room, cost: 0) }
        }
        network.sendWhileProfitable(from: source, to: sink)
        for position in required where network.arcs[position.node][position.index].capacity > 0 { return nil }
        var counts = [[Int]](repeating: [Int](repeating: 0, count: columns), count: kinds.count)
        var cost = 0
        for kind in kinds.indices {
            for theme in 0..<columns {
                guard let position = arcs[kind][theme] else { continue }
                let amount = network.flow(at: position)
                counts[kind][theme] = amount
                if theme < themeCount, let unit = kinds[kind].costs[theme] { cost += amount * unit }
            }
        }
        let districtCounts = pairArcs.map { row in row.map { network.flow(at: $0) } }
        return Solution(counts: counts, districtCounts: districtCounts, groups: [], cost: cost)
    }
}
