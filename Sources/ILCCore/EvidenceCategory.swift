/// Victoria Bernhardt's four categories of evidence.
public enum EvidenceCategory: String, CaseIterable, Sendable, Codable {
    case demographics
    case perceptions
    case studentLearning = "student_learning"
    case schoolProcesses = "school_processes"
}
