import Foundation

/// What a theme-detection run proposes for a cycle: its themes and where each
/// response landed. Stored whole, replacing the previous proposal.
public struct ThemeProposal: Sendable {
    public struct ProposedTheme: Sendable {
        public let id: UUID
        public let label: String
        public let catalogKey: String?
        public let keywords: [String]
        public let size: Int
        public let cohesion: Double
        public let quotes: [Theme.Quote]

        public init(
            id: UUID, label: String, catalogKey: String?, keywords: [String], size: Int, cohesion: Double, quotes: [Theme.Quote]
        ) {
            self.id = id
            self.label = label
            self.catalogKey = catalogKey
            self.keywords = keywords
            self.size = size
            self.cohesion = cohesion
            self.quotes = quotes
        }
    }

    public struct Assignment: Sendable {
        public let responseID: UUID
        /// Nil: the response fits no theme.
        public let themeID: UUID?
        public let score: Double
        public let secondThemeID: UUID?
        public let secondScore: Double?

        public init(responseID: UUID, themeID: UUID?, score: Double, secondThemeID: UUID?, secondScore: Double?) {
            self.responseID = responseID
            self.themeID = themeID
            self.score = score
            self.secondThemeID = secondThemeID
            self.secondScore = secondScore
        }
    }

    public let themes: [ProposedTheme]
    public let assignments: [Assignment]

    public init(themes: [ProposedTheme], assignments: [Assignment]) {
        self.themes = themes
        self.assignments = assignments
    }
}
