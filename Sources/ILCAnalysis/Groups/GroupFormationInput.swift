import ILCCore

/// What group formation works from: the `ilc groups` file format, and what the
/// `group-formation` job reads from a cycle. Ids are the caller's.
public struct GroupFormationInput: Sendable, Equatable, Codable {
    public struct Theme: Sendable, Equatable, Codable {
        public var id: String
        public var label: String

        public init(id: String, label: String) {
            self.id = id
            self.label = label
        }
    }

    public struct Participant: Sendable, Equatable, Codable {
        public var id: String
        public var role: String
        public var district: String
        public var region: String?
        /// Hours east of UTC.
        public var utcOffset: Double?
        /// Theme ids, most wanted first, at most three.
        public var preferences: [String]
        /// Counts as the first choice when `preferences` is empty.
        public var detectedTheme: String?

        public init(
            id: String, role: String, district: String, region: String? = nil, utcOffset: Double? = nil,
            preferences: [String] = [], detectedTheme: String? = nil
        ) {
            self.id = id
            self.role = role
            self.district = district
            self.region = region
            self.utcOffset = utcOffset
            self.preferences = preferences
            self.detectedTheme = detectedTheme
        }

        enum CodingKeys: String, CodingKey {
            case id, role, district, region, preferences
            case utcOffset = "utc_offset"
            case detectedTheme = "detected_theme"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            role = try container.decode(String.self, forKey: .role)
            district = try container.decode(String.self, forKey: .district)
            region = try container.decodeIfPresent(String.self, forKey: .region)
            utcOffset = try container.decodeIfPresent(Double.self, forKey: .utcOffset)
            preferences = try container.decodeIfPresent([String].self, forKey: .preferences) ?? []
            detectedTheme = try container.decodeIfPresent(String.self, forKey: .detectedTheme)
        }
    }

    /// Keeps a participant in a named group (all participants locked to one group stay
    /// together, and the group keeps that id), on a theme, or both.
    public struct Lock: Sendable, Equatable, Codable {
        public var participant: String
        public var group: String?
        public var theme: String?

        public init(participant: String, group: String? = nil, theme: String? = nil) {
            self.participant = participant
            self.group = group
            self.theme = theme
        }
    }

    public var settings: GroupSettings
    public var themes: [Theme]
    public var participants: [Participant]
    public var locks: [Lock]
    /// Pairs that must not share a group.
    public var avoid: [[String]]
    /// Pairs who asked to share a group: honoured where it costs nothing.
    public var together: [[String]]

    public init(
        settings: GroupSettings = GroupSettings(), themes: [Theme], participants: [Participant], locks: [Lock] = [],
        avoid: [[String]] = [], together: [[String]] = []
    ) {
        self.settings = settings
        self.themes = themes
        self.participants = participants
        self.locks = locks
        self.avoid = avoid
        self.together = together
    }

    enum CodingKeys: String, CodingKey {
        case settings, themes, participants, locks, avoid, together
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        settings = try container.decodeIfPresent(GroupSettings.self, forKey: .settings) ?? GroupSettings()
        themes = try container.decode([Theme].self, forKey: .themes)
        participants = try container.decode([Participant].self, forKey: .participants)
        locks = try container.decodeIfPresent([Lock].self, forKey: .locks) ?? []
        avoid = try container.decodeIfPresent([[String]].self, forKey: .avoid) ?? []
        together = try container.decodeIfPresent([[String]].self, forKey: .together) ?? []
    }
}
