import ILCCore

/// The rules every collective must keep. Defaults are the ILC model's: four to ten
/// educators, no more than three from one district, at least two roles.
public struct GroupSettings: Sendable, Equatable, Codable {
    public var minSize: Int
    public var maxSize: Int
    public var maxPerDistrict: Int
    public var minRoles: Int
    /// How many groups there can be (one facilitator each); nil: as many as needed.
    public var maxGroups: Int?
    /// The widest spread of UTC offsets in one group; nil: no limit.
    public var maxUTCSpreadHours: Double?

    /// A collective never has more than ten members.
    public static let largestGroup = 10

    public init(
        minSize: Int = 4, maxSize: Int = 10, maxPerDistrict: Int = 3, minRoles: Int = 2, maxGroups: Int? = nil,
        maxUTCSpreadHours: Double? = nil
    ) {
        self.minSize = minSize
        self.maxSize = maxSize
        self.maxPerDistrict = maxPerDistrict
        self.minRoles = minRoles
        self.maxGroups = maxGroups
        self.maxUTCSpreadHours = maxUTCSpreadHours
    }

    enum CodingKeys: String, CodingKey {
        case minSize = "min_size"
        case maxSize = "max_size"
        case maxPerDistrict = "max_per_district"
        case minRoles = "min_roles"
        case maxGroups = "max_groups"
        case maxUTCSpreadHours = "max_utc_spread_hours"
    }

    /// Missing keys take their defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = GroupSettings()
        minSize = try container.decodeIfPresent(Int.self, forKey: .minSize) ?? defaults.minSize
        maxSize = try container.decodeIfPresent(Int.self, forKey: .maxSize) ?? defaults.maxSize
        maxPerDistrict = try container.decodeIfPresent(Int.self, forKey: .maxPerDistrict) ?? defaults.maxPerDistrict
        minRoles = try container.decodeIfPresent(Int.self, forKey: .minRoles) ?? defaults.minRoles
        maxGroups = try container.decodeIfPresent(Int.self, forKey: .maxGroups)
        maxUTCSpreadHours = try container.decodeIfPresent(Double.self, forKey: .maxUTCSpreadHours)
    }

    /// Every problem at once, each naming its field under `prefix` (a JSON pointer).
    public func problems(prefix: String = "/settings") -> [ValidationError] {
        var problems: [ValidationError] = []
        func check(_ valid: Bool, _ field: String, _ message: String) {
            if !valid { problems.append(ValidationError(field: "\(prefix)/\(field)", message: message)) }
        }
        check((1...Self.largestGroup).contains(minSize), "min_size", "must be between 1 and \(Self.largestGroup)")
        check((1...Self.largestGroup).contains(maxSize), "max_size", "must be between 1 and \(Self.largestGroup)")
        check(maxSize >= minSize, "max_size", "must not be below min_size (\(minSize))")
        check(maxPerDistrict >= 1, "max_per_district", "must be at least 1")
        check((1...Self.largestGroup).contains(minRoles), "min_roles", "must be between 1 and \(Self.largestGroup)")
        if let maxGroups { check(maxGroups >= 1, "max_groups", "must be at least 1") }
        if let hours = maxUTCSpreadHours { check(hours >= 0 && hours <= 26, "max_utc_spread_hours", "must be between 0 and 26") }
        return problems
    }
}
