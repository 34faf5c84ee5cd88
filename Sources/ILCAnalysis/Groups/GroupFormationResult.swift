/// Collectives formed, who could not be placed and why, and how good the answer is.
public struct GroupFormationResult: Sendable, Equatable, Codable {
    public struct Group: Sendable, Equatable, Codable {
        /// A locked group keeps the id its lock gave; others are `group-1`, `group-2`…
        public var id: String
        public var theme: String
        public var members: [String]
    }

    public struct Unplaced: Sendable, Equatable, Codable {
        public var id: String
        public var reason: String
    }

    /// A theme some participants chose first but too few to fill a group: its people
    /// went to their next choices.
    public struct FoldedTheme: Sendable, Equatable, Codable {
        public var theme: String
        public var firstChoices: Int

        enum CodingKeys: String, CodingKey {
            case theme
            case firstChoices = "first_choices"
        }
    }

    public struct Metrics: Sendable, Equatable, Codable {
        /// Σ rank cost over placed participants: 0, 1, 3 for their choices, 10 otherwise.
        public var objective: Int
        /// No assignment that places as many participants and keeps every rule costs less.
        public var lowerBound: Int
        /// The lower bound is proven to be the optimum of the theme allocation, and the
        /// groups reach it: the answer is optimal.
        public var optimal: Bool
        /// Of all participants.
        public var firstChoicePercent: Double
        public var top3Percent: Double
        /// The worst choice anyone placed got: 1–3, or 4 for a theme not on their list.
        public var worstRank: Int?
        public var minDistinctRoles: Int
        public var minDistinctDistricts: Int
        public var placed: Int
        public var unplaced: Int
        public var togetherHonored: Int
        public var togetherRequested: Int
        /// Rule name → groups (or pairs, or participants) breaking it; all zero whenever
        /// a feasible assignment exists.
        public var violations: [String: Int]

        enum CodingKeys: String, CodingKey {
            case objective, optimal, placed, unplaced, violations
            case lowerBound = "lower_bound"
            case firstChoicePercent = "first_choice_pct"
            case top3Percent = "top3_pct"
            case worstRank = "worst_rank"
            case minDistinctRoles = "min_distinct_roles"
            case minDistinctDistricts = "min_distinct_districts"
            case togetherHonored = "together_honored"
            case togetherRequested = "together_requested"
        }
    }

    public var groups: [Group]
    public var unplaced: [Unplaced]
    public var folded: [FoldedTheme]
    public var metrics: Metrics
}
