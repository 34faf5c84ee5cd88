/// The six phases of an ILC cycle, in order.
public enum CyclePhase: String, CaseIterable, Sendable, Codable, Comparable {
    case gatheringThemes = "gathering_themes"
    case formingCollectives = "forming_collectives"
    case designingInquiry = "designing_inquiry"
    case collectingEvidence = "collecting_evidence"
    case reviewingProgress = "reviewing_progress"
    case sharingKnowledge = "sharing_knowledge"

    /// 1 … 6, as facilitators number them.
    public var number: Int {
        (Self.allCases.firstIndex(of: self) ?? 0) + 1
    }

    public static func < (lhs: CyclePhase, rhs: CyclePhase) -> Bool {
        lhs.number < rhs.number
    }
}
