/// A collective (the source) another collective (the target) should hear from, and why.
public struct KnowledgeSuggestion: Sendable, Equatable {
    public var target: String
    public var source: String
    /// Similarity weighted by the source's evidence of impact; higher first.
    public var score: Double
    /// Placemat text (cosine of TF-IDF), theme and evidence categories alike, 0…1.
    public var similarity: Double
    /// The source's best indicator progress, 0…1.
    public var impact: Double
    public var sharedTheme: String?
    /// Words both placemats use that weigh most in the match, as people wrote them.
    public var matchingTerms: [String]
    /// The source's indicators that moved the right way.
    public var indicatorChanges: [IndicatorImpact]
    /// Source and target belong to different tenants.
    public var crossTenant: Bool
    /// The reading tenant's marks on earlier suggestions of this source, if any.
    public var marks: KnowledgeFeedback.Marks?
}
