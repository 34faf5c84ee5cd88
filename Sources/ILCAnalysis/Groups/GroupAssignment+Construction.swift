extension GroupAssignment {
    /// Makes `groupCount` groups of `theme` from `members`: a facilitator's locked
    /// group keeps its people, the rest are dealt like cards, biggest district first, so
    /// that one district's people land in different groups. With a time-zone limit
    /// groups take consecutive stretches of UTC offsets, so each spans little.
    mutating func deal(_ members: [Int], theme: Int, groupCount: Int, random: inout SeededRandom) {
        var locked: [Int: [Int]] = [:]
        var free: [Int] = []
        for member in members {
            if let group = problem.lockedGroup[member] { locked[group, default: []].append(member) } else { free.append(member) }
        }
        let lockedGroups = locked.keys.sorted()
        let count = max(groupCount, lockedGroups.count)
        guard count > 0 else { return }
        let targets = Self.targetSizes(total: members.count, locked: lockedGroups.map { locked[$0]?.count ?? 0 }, groupCount: count)
        var indices: [Int] = []
        for position in 0..<count {
            let lockedGroup = position < lockedGroups.count ? lockedGroups[position] : nil
            indices.append(addGroup(theme: theme, members: lockedGroup.flatMap { locked[$0] } ?? [], lockedGroup: lockedGroup))
        }
        let order = dealingOrder(free, random: &random)
        let seats = indices.indices.map { targets[$0] - groups[indices[$0]].members.count }
        guard problem.settings.maxUTCSpreadHours != nil else {
            dealRoundRobin(order, into: Array(zip(indices, seats)))
            return
        }
        // Groups take consecutive stretches of the offsets; the people of one offset are
        // dealt over the seats that offset's stretch covers.
        let byOffset = order.enumerated().sorted { first, second in
            let (a, b) = (problem.utcOffset[first.element] ?? .infinity, problem.utcOffset[second.element] ?? .infinity)
            return a != b ? a < b : first.offset < second.offset
        }.map(\.element)
        var seatOwners: [Int] = []
        for (position, count) in seats.enumerated() { seatOwners += Array(repeating: position, count: max(0, count)) }
        var start = 0
        while start < byOffset.count {
            var end = start + 1
            while end < byOffset.count && problem.utcOffset[byOffset[end]] == problem.utcOffset[byOffset[start]] { end += 1 }
            var runSeats: [(group: Int, seats: Int)] = []
            for owner in seatOwners[start..<min(end, seatOwners.count)] {
                if runSeats.last?.group == indices[owner] { runSeats[runSeats.count - 1].seats += 1 } else { runSeats.append((indices[owner], 1)) }
            }
            dealRoundRobin(Array(byOffset[start..<end]), into: runSeats)
            start = end
        }
    }

    /// Deals people like cards over groups, each taking at most its seats.
    private mutating func dealRoundRobin(_ people: [Int], into seats: [(group: Int, seats: Int)]) {
        guard !seats.isEmpty else { return }
        var left = seats.map(\.seats)
        var position = 0
        for person in people {
            var tries = 0
            while left[position] <= 0 && tries < seats.count {
                position = (position + 1) % seats.count
                tries += 1
            }
            place(person, in: seats[position].group)
            left[position] -= 1
            position = (position + 1) % seats.count
        }
    }

    /// Sizes as even as the locked groups allow, summing to `total`.
    static func targetSizes(total: Int, locked: [Int], groupCount: Int) -> [Int] {
        var sizes = [Int](repeating: total / groupCount, count: groupCount)
        for position in 0..<(total % groupCount) { sizes[position] += 1 }
        // A locked group bigger than its share takes seats from the biggest others.
        for (position, size) in locked.enumerated() where size > sizes[position] {
            var surplus = size - sizes[position]
            sizes[position] = size
            while surplus > 0 {
                guard let donor = sizes.indices.filter({ $0 >= locked.count || sizes[$0] > locked[$0] })
                    .max(by: { (sizes[$0], -$0) < (sizes[$1], -$1) }), sizes[donor] > 0 else { break }
                sizes[donor] -= 1
                surplus -= 1
            }
        }
        return sizes
    }

    /// Districts biggest first, each district's people by role, shuffled within a role
    /// by the seed.
    private func dealingOrder(_ members: [Int], random: inout SeededRandom) -> [Int] {
        var shuffled = members
        random.shuffle(&shuffled)
        var byDistrict: [Int: [Int]] = [:]
        for member in shuffled { byDistrict[problem.district[member], default: []].append(member) }
        let districts = byDistrict.keys.sorted { (byDistrict[$0]?.count ?? 0, -$0) > (byDistrict[$1]?.count ?? 0, -$1) }
        var order: [Int] = []
        for district in districts {
            let people = (byDistrict[district] ?? []).enumerated()
                .sorted { (problem.role[$0.element], $0.offset) < (problem.role[$1.element], $1.offset) }
                .map(\.element)
            order += people
        }
        return order
    }
}
