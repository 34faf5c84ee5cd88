/// The educator roles a collective mixes. Mirrors the CHECK on `participants.role`.
public enum ParticipantRole: String, CaseIterable, Sendable, Codable {
    case teacherLeader = "teacher_leader"
    case instructionalCoach = "instructional_coach"
    case principal
    case assistantPrincipal = "assistant_principal"
    case centralOffice = "central_office"
    case superintendent
    case schoolPsychologist = "school_psychologist"
    case other
}
