/// How one cycle runs: the rules for its collectives, the themes facilitators start
/// from, how far its work may be shared, and the smallest group a report may show.
public struct CycleSettings: Sendable, Equatable, Codable {
    public var groupSizeMin: Int
    public var groupSizeMax: Int
    /// Members of one district a collective may have at most.
    public var maxPerDistrict: Int
    /// Distinct roles a collective needs at least.
    public var minRoles: Int
    /// Collectives group formation may make at most (facilitators); nil: no limit.
    public var maxGroups: Int?
    /// The widest spread of members' UTC offsets in one collective; nil: no limit.
    public var maxUTCSpreadHours: Double?
    public var themeCatalog: [String]
    public var sharingPolicy: SharingPolicy
    /// Groups smaller than this are suppressed in reports (small-cell privacy).
    public var suppressionThreshold: Int

    /// A collective has at most ten members (the ILC model).
    public static let largestGroup = 10

    /// The widest possible spread of UTC offsets (−12 to +14): a limit this wide is none.
    public static let widestUTCSpread = 26.0

    public init(
        groupSizeMin: Int = 4, groupSizeMax: Int = 10, maxPerDistrict: Int = 3, minRoles: Int = 2, maxGroups: Int? = nil,
        maxUTCSpreadHours: Double? = nil, themeCatalog: [String] = [], sharingPolicy: SharingPolicy = .withinTenant,
        suppressionThreshold: Int = 10
    ) {
        self.groupSizeMin = groupSizeMin
        self.groupSizeMax = groupSizeMax
        self.maxPerDistrict = maxPerDistrict
        self.minRoles = minRoles
        self.maxGroups = maxGroups
        self.maxUTCSpreadHours = maxUTCSpreadHours
        self.themeCatalog = themeCatalog
        self.sharingPolicy = sharingPolicy
        self.suppressionThreshold = suppressionThreshold
    }

    enum CodingKeys: String, CodingKey {
        case groupSizeMin = "group_size_min"
        case groupSizeMax = "group_size_max"
        case maxPerDistrict = "max_per_district"
        case minRoles = "min_roles"
        case maxGroups = "max_groups"
        case maxUTCSpreadHours = "max_utc_spread_hours"
        case themeCatalog = "theme_catalog"
        case sharingPolicy = "sharing_policy"
        case suppressionThreshold = "suppression_threshold"
    }

    /// Missing keys take their defaults, so settings stored before a key existed
    /// (and partial documents) still read.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = CycleSettings()
        groupSizeMin = try container.decodeIfPresent(Int.self, forKey: .groupSizeMin) ?? defaults.groupSizeMin
        groupSizeMax = try container.decodeIfPresent(Int.self, forKey: .groupSizeMax) ?? defaults.groupSizeMax
        maxPerDistrict = try container.decodeIfPresent(Int.self, forKey: .maxPerDistrict) ?? defaults.maxPerDistrict
        minRoles = try container.decodeIfPresent(Int.self, forKey: .minRoles) ?? defaults.minRoles
        maxGroups = try container.decodeIfPresent(Int.self, forKey: .maxGroups)
        maxUTCSpreadHours = try container.decodeIfPresent(Double.self, forKey: .maxUTCSpreadHours)
        themeCatalog = try container.decodeIfPresent([String].self, forKey: .themeCatalog) ?? defaults.themeCatalog
        sharingPolicy = try container.decodeIfPresent(SharingPolicy.self, forKey: .sharingPolicy) ?? defaults.sharingPolicy
        suppressionThreshold =
            try container.decodeIfPresent(Int.self, forKey: .suppressionThreshold) ?? defaults.suppressionThreshold
    }

    /// Rules between fields, checked once every field is valid on its own.
    public func conflicts() -> [ValidationError] {
        var conflicts: [ValidationError] = []
        if groupSizeMax < groupSizeMin {
            conflicts.append(ValidationError(field: "group_size_max", message: "must not be below group_size_min (\(groupSizeMin))"))
        }
        if minRoles > groupSizeMax {
            conflicts.append(ValidationError(field: "min_roles", message: "must not exceed group_size_max (\(groupSizeMax))"))
        }
        return conflicts
    }

    /// Every problem of a single field at once, each naming its field (snake_case, as
    /// in the API).
    public func problems() -> [ValidationError] {
        var problems: [ValidationError] = []
        if !(2...Self.largestGroup).contains(groupSizeMin) {
            problems.append(ValidationError(field: "group_size_min", message: "must be between 2 and \(Self.largestGroup)"))
        }
        if !(2...Self.largestGroup).contains(groupSizeMax) {
            problems.append(ValidationError(field: "group_size_max", message: "must be between 2 and \(Self.largestGroup)"))
        }
        if !(1...100).contains(maxPerDistrict) {
            problems.append(ValidationError(field: "max_per_district", message: "must be between 1 and 100"))
        }
        if !(1...Self.largestGroup).contains(minRoles) {
            problems.append(ValidationError(field: "min_roles", message: "must be between 1 and \(Self.largestGroup)"))
        }
        if let maxGroups, !(1...100_000).contains(maxGroups) {
            problems.append(ValidationError(field: "max_groups", message: "must be between 1 and 100000"))
        }
        if let hours = maxUTCSpreadHours, !(0...Self.widestUTCSpread).contains(hours) || hours.isNaN {
            problems.append(ValidationError(field: "max_utc_spread_hours", message: "must be between 0 and 26"))
        }
        if themeCatalog.count > 200 {
            problems.append(ValidationError(field: "theme_catalog", message: "has more than 200 themes"))
        }
        for (index, theme) in themeCatalog.enumerated() where !(1...100).contains(theme.codePointCount) || theme.contains("\u{0}") {
            problems.append(ValidationError(field: "theme_catalog/\(index)", message: "must be 1–100 characters, none of them NUL"))
        }
        if Set(themeCatalog).count != themeCatalog.count {
            problems.append(ValidationError(field: "theme_catalog", message: "lists a theme twice"))
        }
        if !(1...100).contains(suppressionThreshold) {
            problems.append(ValidationError(field: "suppression_threshold", message: "must be between 1 and 100"))
        }
        return problems
    }
}
