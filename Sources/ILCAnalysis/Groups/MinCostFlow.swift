/// Minimum-cost flow by successive shortest paths (queue-based Bellman–Ford, so arcs
/// may cost less than zero as long as no cycle does). Small and exact: the theme
/// allocation's graphs have a few thousand nodes at most.
struct MinCostFlow {
    struct Arc {
        let to: Int
        var capacity: Int
        let cost: Int
        /// Index of the opposite arc in `arcs[to]`.
        let opposite: Int
    }

    static let unbounded = Int.max / 4
    private(set) var arcs: [[Arc]]

    init(nodeCount: Int) {
        arcs = Array(repeating: [], count: nodeCount)
    }

    /// Adds an arc and its residual twin; returns where the arc is, for `flow(at:)`.
    @discardableResult
    mutating func addArc(from: Int, to: Int, capacity: Int, cost: Int) -> (node: Int, index: Int) {
        let index = arcs[from].count
        let oppositeIndex = arcs[to].count + (from == to ? 1 : 0)
        arcs[from].append(Arc(to: to, capacity: capacity, cost: cost, opposite: oppositeIndex))
        arcs[to].append(Arc(to: from, capacity: 0, cost: -cost, opposite: index))
        return (from, index)
    }

    /// Starts an arc with `amount` of flow already on it.
    mutating func preload(_ position: (node: Int, index: Int), amount: Int) {
        let arc = arcs[position.node][position.index]
        arcs[position.node][position.index].capacity -= amount
        arcs[arc.to][arc.opposite].capacity += amount
    }

    /// The flow on an arc added with `addArc`: what its twin can send back.
    func flow(at position: (node: Int, index: Int)) -> Int {
        let arc = arcs[position.node][position.index]
        return arcs[arc.to][arc.opposite].capacity
    }

    /// Pushes flow from `source` to `sink` along cheapest paths while a path costs less
    /// than zero, which gives the cheapest flow of any amount. Returns its cost.
    @discardableResult
    mutating func sendWhileProfitable(from source: Int, to sink: Int) -> Int {
        var total = 0
        let nodeCount = arcs.count
        var distance = [Int](repeating: 0, count: nodeCount)
        var parent = [(node: Int, index: Int)](repeating: (-1, -1), count: nodeCount)
        var queued = [Bool](repeating: false, count: nodeCount)
        var queue: [Int] = []
        queue.reserveCapacity(nodeCount)
        while true {
            for node in 0..<nodeCount {
                distance[node] = Self.unbounded
                parent[node] = (-1, -1)
            }
            distance[source] = 0
            queue.removeAll(keepingCapacity: true)
            queue.append(source)
            queued[source] = true
            var head = 0
            while head < queue.count {
                let node = queue[head]
                head += 1
                queued[node] = false
                let base = distance[node]
                for (index, arc) in arcs[node].enumerated() where arc.capacity > 0 {
                    let candidate = base + arc.cost
                    guard candidate < distance[arc.to] else { continue }
                    distance[arc.to] = candidate
                    parent[arc.to] = (node, index)
                    if !queued[arc.to] {
                        queued[arc.to] = true
                        queue.append(arc.to)
                    }
                }
                // A long-lived queue would keep growing: reclaim what was read.
                if head > 4_096 && head * 2 > queue.count {
                    queue.removeFirst(head)
                    head = 0
                }
            }
            guard distance[sink] < 0 else { return total }
            var amount = Self.unbounded
            var node = sink
            while node != source {
                let (from, index) = parent[node]
                amount = min(amount, arcs[from][index].capacity)
                node = from
            }
            node = sink
            while node != source {
                let (from, index) = parent[node]
                arcs[from][index].capacity -= amount
                let opposite = arcs[from][index].opposite
                arcs[node][opposite].capacity += amount
                node = from
            }
            total += amount * distance[sink]
        }
    }
}
