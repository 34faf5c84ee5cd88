/// One response to analyse.
public struct ThemeInput: Sendable, Equatable {
    public let id: String
    public let text: String

    public init(id: String, text: String) {
        self.id = id
        self.text = text
    }
}

/// A theme found in the responses.
public struct DetectedTheme: Sendable, Equatable {
    /// `theme-1`, `theme-2`, … largest first.
    public let id: String
    public let label: String
    /// The catalog entry that named it, if one did.
    public let catalogKey: String?
    /// The words that weigh most in it, as respondents wrote them.
    public let keywords: [String]
    public let size: Int
    /// The responses closest to its centre (up to three).
    public let quotes: [ThemeInput]
    /// Mean cosine similarity of its responses with its centre (0…1).
    public let cohesion: Double
}

/// Where one response landed.
public struct ThemeAssignment: Sendable, Equatable {
    public let id: String
    /// Nil when the response fits no theme well enough (or had no usable words).
    public let themeID: String?
    /// Cosine similarity with the theme's centre.
    public let score: Double
    public let secondThemeID: String?
    public let secondScore: Double?
}

public struct ThemeDetectionResult: Sendable, Equatable {
    public let themes: [DetectedTheme]
    /// In input order.
    public let assignments: [ThemeAssignment]
    /// The number of themes tried with its quality (mean simplified silhouette).
    public let qualityByThemeCount: [Int: Double]
}
