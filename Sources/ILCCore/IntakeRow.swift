import Foundation

/// One survey response as a partner sent it (a JSON object or a CSV line), every value
/// still text: validating it reports each bad field of the row, so one bad row never
/// costs the rest of its batch.
public struct IntakeRow: Sendable, Hashable {
    public var externalID: String?
    public var name: String?
    public var email: String?
    public var role: String?
    public var district: String?
    public var school: String?
    public var region: String?
    public var timeZone: String?
    public var focusStatement: String?
    public var improvementGoals: [String]?
    public var themePreferences: [String]?
    public var submittedAt: String?

    public init() {}

    /// Where each value sits in the JSON form of a response, as a pointer suffix; a CSV
    /// column carries the last component's name.
    public enum Field: String, CaseIterable, Sendable {
        case externalID = "participant/external_id"
        case name = "participant/name"
        case email = "participant/email"
        case role = "participant/role"
        case district = "participant/district"
        case school = "participant/school"
        case region = "participant/region"
        case timeZone = "participant/time_zone"
        case focusStatement = "focus_statement"
        case improvementGoals = "improvement_goals"
        case themePreferences = "theme_preferences"
        case submittedAt = "submitted_at"

        /// The CSV column (and JSON key) of the field.
        public var column: String { Self.columns[self] ?? rawValue }

        /// Made once: intake reads a column name for every key of every row.
        private static let columns = Dictionary(
            uniqueKeysWithValues: allCases.map { ($0, String($0.rawValue.split(separator: "/").last ?? "")) })
    }

    public static let maximumGoals = 10
    public static let maximumPreferences = 3

    /// The typed response, or every problem of the row (each naming its field).
    public func validated() -> Result<SurveyResponseDraft, IntakeRowProblems> {
        var problems: [ValidationError] = []
        func required(_ field: Field, _ value: String?, maximum: Int) -> String {
            guard let value = IntakeRow.cleaned(value) else {
                problems.append(ValidationError(field: field.rawValue, message: "is required"))
                return ""
            }
            if let problem = IntakeRow.textProblem(value, maximum: maximum) {
                problems.append(ValidationError(field: field.rawValue, message: problem))
            }
            return value
        }
        func optional(_ field: Field, _ value: String?, maximum: Int) -> String? {
            guard let value = IntakeRow.cleaned(value) else { return nil }
            if let problem = IntakeRow.textProblem(value, maximum: maximum) {
                problems.append(ValidationError(field: field.rawValue, message: problem))
            }
            return value
        }
        func list(_ field: Field, _ values: [String]?, most: Int, maximum: Int) -> [String] {
            let items = (values ?? []).compactMap(IntakeRow.cleaned)
            if items.count > most {
                problems.append(ValidationError(field: field.rawValue, message: "at most \(most) items"))
            }
            for (index, item) in items.enumerated() {
                if let problem = IntakeRow.textProblem(item, maximum: maximum) {
                    problems.append(ValidationError(field: "\(field.rawValue)/\(index)", message: problem))
                }
            }
            return items
        }

        let externalID = required(.externalID, externalID, maximum: 200)
        let name = required(.name, name, maximum: 200)
        let email = optional(.email, email, maximum: 254)
        if let email, !IntakeRow.looksLikeEmail(email) {
            problems.append(ValidationError(field: Field.email.rawValue, message: "must be an address such as name@district.org"))
        }
        let roleText = required(.role, role, maximum: 64)
        let participantRole = ParticipantRole(rawValue: IntakeRow.roleKey(roleText))
        if participantRole == nil, !roleText.isEmpty {
            problems.append(ValidationError(
                field: Field.role.rawValue,
                message: "must be one of " + ParticipantRole.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        let district = required(.district, district, maximum: 200)
        let school = optional(.school, school, maximum: 200)
        let region = optional(.region, region, maximum: 200)
        let timeZone = optional(.timeZone, timeZone, maximum: 64)
        if let timeZone, TimeZone(identifier: timeZone) == nil {
            problems.append(ValidationError(field: Field.timeZone.rawValue, message: "must be an IANA time zone such as America/Chicago"))
        }
        let focusStatement = required(.focusStatement, focusStatement, maximum: 20_000)
        let goals = list(.improvementGoals, improvementGoals, most: Self.maximumGoals, maximum: 2_000)
        let preferences = list(.themePreferences, themePreferences, most: Self.maximumPreferences, maximum: 100)
        if Set(preferences).count != preferences.count {
            problems.append(ValidationError(field: Field.themePreferences.rawValue, message: "must not name a theme twice"))
        }
        var submitted: Date?
        if let text = IntakeRow.cleaned(submittedAt) {
            submitted = RFC3339Timestamp.date(from: text)
            if submitted == nil {
                problems.append(ValidationError(
                    field: Field.submittedAt.rawValue, message: "must be a date-time such as 2026-10-01T08:30:00Z"))
            }
        }

        guard problems.isEmpty, let participantRole else { return .failure(IntakeRowProblems(problems: problems)) }
        return .success(SurveyResponseDraft(
            participant: ParticipantDraft(
                externalID: externalID, name: name, email: email, role: participantRole, district: district,
                school: school, region: region, timeZone: timeZone),
            focusStatement: focusStatement, improvementGoals: goals, themePreferences: preferences,
            submittedAt: submitted))
    }

    /// Surrounding spaces dropped; an empty value is no value (as an empty CSV cell).
    static func cleaned(_ value: String?) -> String? {
        // Scalars, not Foundation's CharacterSet: this runs for every field of every row
        // of a 5,000-row batch, and most values need no trimming at all.
        guard let value else { return nil }
        let scalars = value.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return nil }
        if first == scalars.startIndex, scalars.index(after: last) == scalars.endIndex { return value }
        return String(scalars[first...last])
    }

    static func textProblem(_ value: String, maximum: Int) -> String? {
        if value.codePointCount > maximum { return "must be at most \(maximum) characters" }
        // PostgreSQL text cannot hold NUL; other control characters are copy-paste debris.
        if value.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" && $0 != "\r" }) {
            return "must not contain control characters"
        }
        return nil
    }

    /// `Instructional Coach`, `instructional-coach` and `instructional_coach` are one role.
    static func roleKey(_ text: String) -> String {
        String(text.lowercased().map { $0 == " " || $0 == "-" ? "_" : $0 })
    }

    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return false }
        return !text.contains(where: \.isWhitespace)
    }
}

/// Every problem of one intake row.
public struct IntakeRowProblems: Error, Sendable, Hashable {
    public var problems: [ValidationError]

    public init(problems: [ValidationError]) {
        self.problems = problems
    }
}
