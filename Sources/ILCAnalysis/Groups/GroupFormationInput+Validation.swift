import ILCCore

extension GroupFormationInput {
    /// Every reason the input cannot be solved as it stands, each naming its place as a
    /// JSON pointer. Rules the data merely makes hard to keep (too few roles, one big
    /// district) are not errors: those participants come back unplaced, with the reason.
    public func problems() -> [ValidationError] {
        var problems = settings.problems()
        func add(_ field: String, _ message: String) { problems.append(ValidationError(field: field, message: message)) }

        if themes.isEmpty { add("/themes", "must list at least one theme") }
        var themeIDs = Set<String>()
        for (index, theme) in themes.enumerated() {
            if theme.id.isEmpty { add("/themes/\(index)/id", "must not be empty") }
            if !themeIDs.insert(theme.id).inserted { add("/themes/\(index)/id", "repeats theme \(theme.id)") }
        }
        var participantIDs = Set<String>()
        for (index, participant) in participants.enumerated() {
            let path = "/participants/\(index)"
            if participant.id.isEmpty { add("\(path)/id", "must not be empty") }
            if !participantIDs.insert(participant.id).inserted { add("\(path)/id", "repeats participant \(participant.id)") }
            if participant.role.isEmpty { add("\(path)/role", "must not be empty") }
            if participant.district.isEmpty { add("\(path)/district", "must not be empty") }
            if let offset = participant.utcOffset, !(-12...14).contains(offset) {
                add("\(path)/utc_offset", "must be between -12 and 14 hours")
            }
            if participant.preferences.count > 3 { add("\(path)/preferences", "lists more than 3 themes") }
            if Set(participant.preferences).count != participant.preferences.count {
                add("\(path)/preferences", "lists a theme twice")
            }
            for (rank, theme) in participant.preferences.enumerated() where !themeIDs.contains(theme) {
                add("\(path)/preferences/\(rank)", "names no listed theme (\(theme))")
            }
            if let detected = participant.detectedTheme, !themeIDs.contains(detected) {
                add("\(path)/detected_theme", "names no listed theme (\(detected))")
            }
        }
        problems += lockProblems(participantIDs: participantIDs, themeIDs: themeIDs)
        problems += pairProblems(avoid, name: "avoid", participantIDs: participantIDs)
        problems += pairProblems(together, name: "together", participantIDs: participantIDs)
        return problems
    }

    private func lockProblems(participantIDs: Set<String>, themeIDs: Set<String>) -> [ValidationError] {
        var problems: [ValidationError] = []
        func add(_ field: String, _ message: String) { problems.append(ValidationError(field: field, message: message)) }
        var locked = Set<String>()
        var groupThemes: [String: String] = [:]
        var groupSizes: [String: Int] = [:]
        for (index, lock) in locks.enumerated() {
            let path = "/locks/\(index)"
            if !participantIDs.contains(lock.participant) { add("\(path)/participant", "names no listed participant") }
            if !locked.insert(lock.participant).inserted { add("\(path)/participant", "is locked twice") }
            if lock.group == nil && lock.theme == nil { add(path, "needs a group, a theme or both") }
            if let theme = lock.theme, !themeIDs.contains(theme) { add("\(path)/theme", "names no listed theme") }
            guard let group = lock.group else { continue }
            if group.isEmpty { add("\(path)/group", "must not be empty") }
            groupSizes[group, default: 0] += 1
            if groupSizes[group] == settings.maxSize + 1 {
                add("\(path)/group", "locks more than max_size (\(settings.maxSize)) participants into group \(group)")
            }
            if let theme = lock.theme {
                if let other = groupThemes[group], other != theme {
                    add("\(path)/theme", "differs from the theme another lock gives group \(group) (\(other))")
                }
                groupThemes[group] = theme
            }
        }
        let groupOf = Dictionary(locks.compactMap { lock in lock.group.map { (lock.participant, $0) } }) { first, _ in first }
        for (index, pair) in avoid.enumerated() where pair.count == 2 {
            if let group = groupOf[pair[0]], groupOf[pair[1]] == group {
                add("/avoid/\(index)", "both are locked into group \(group)")
            }
        }
        return problems
    }

    private func pairProblems(_ pairs: [[String]], name: String, participantIDs: Set<String>) -> [ValidationError] {
        var problems: [ValidationError] = []
        for (index, pair) in pairs.enumerated() {
            let path = "/\(name)/\(index)"
            guard pair.count == 2 else {
                problems.append(ValidationError(field: path, message: "must name exactly two participants"))
                continue
            }
            if pair[0] == pair[1] { problems.append(ValidationError(field: path, message: "names the same participant twice")) }
            for (position, id) in pair.enumerated() where !participantIDs.contains(id) {
                problems.append(ValidationError(field: "\(path)/\(position)", message: "names no listed participant"))
            }
        }
        return problems
    }
}
