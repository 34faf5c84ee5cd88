/// How one cycle runs: the bounds for its collectives, the themes facilitators start
/// from, how far its work may be shared, and the smallest group a report may show.
public struct CycleSettings: Sendable, Equatable, Codable {
    public var groupSizeMin: Int
    public var groupSizeMax: Int
    public var themeCatalog: [String]
    public var sharingPolicy: SharingPolicy
    /// Groups smaller than this are suppressed in reports (small-cell privacy).
    public var suppressionThreshold: Int

    /// A collective has at most ten members (the ILC model).
    public static let largestGroup = 10

    public init(
        groupSizeMin: Int = 6, groupSizeMax: Int = 10, themeCatalog: [String] = [],
        sharingPolicy: SharingPolicy = .withinTenant, suppressionThreshold: Int = 10
    ) {
        self.groupSizeMin = groupSizeMin
        self.groupSizeMax = groupSizeMax
        self.themeCatalog = themeCatalog
        self.sharingPolicy = sharingPolicy
        self.suppressionThreshold = suppressionThreshold
    }

    enum CodingKeys: String, CodingKey {
        case groupSizeMin = "group_size_min"
        case groupSizeMax = "group_size_max"
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
        themeCatalog = try container.decodeIfPresent([String].self, forKey: .themeCatalog) ?? defaults.themeCatalog
        sharingPolicy = try container.decodeIfPresent(SharingPolicy.self, forKey: .sharingPolicy) ?? defaults.sharingPolicy
        suppressionThreshold =
            try container.decodeIfPresent(Int.self, forKey: .suppressionThreshold) ?? defaults.suppressionThreshold
    }

    /// Rules between fields, checked once every field is valid on its own.
    public func conflicts() -> [ValidationError] {
        groupSizeMax < groupSizeMin
            ? [ValidationError(field: "group_size_max", message: "must not be below group_size_min (\(groupSizeMin))")] : []
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
        if themeCatalog.count > 200 {
            problems.append(ValidationError(field: "theme_catalog", message: "has more than 200 themes"))
        }
        for (index, theme) in themeCatalog.enumerated() where !(1...100).contains(theme.count) || theme.contains("\u{0}") {
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
