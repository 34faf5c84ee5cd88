/// Names for themes facilitators already know. A discovered theme takes a catalog
/// label when its keywords match the entry's well enough; a tenant may replace or
/// extend the catalog for a cycle.
public struct ThemeCatalog: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let key: String
        public let label: String
        /// Words and phrases that signal the theme, as people write them.
        public let keywords: [String]

        public init(key: String, label: String, keywords: [String]) {
            self.key = key
            self.label = label
            self.keywords = keywords
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// This catalog with `additions`; an addition with an existing key replaces it.
    public func extended(with additions: [Entry]) -> ThemeCatalog {
        let replaced = Set(additions.map(\.key))
        return ThemeCatalog(entries: entries.filter { !replaced.contains($0.key) } + additions)
    }

    /// Common K-12 improvement themes.
    public static let builtIn = ThemeCatalog(entries: [
        Entry(key: "attendance", label: "Attendance and chronic absenteeism", keywords: [
            "attendance", "absenteeism", "chronic absenteeism", "absent", "absences", "tardy", "truancy",
            "missing school", "attend",
        ]),
        Entry(key: "tier1", label: "Tier 1 instruction", keywords: [
            "tier 1", "core instruction", "instruction", "instructional practice", "lesson", "classroom instruction",
            "high quality instruction", "rigor",
        ]),
        Entry(key: "mtss", label: "MTSS and intervention", keywords: [
            "mtss", "intervention", "interventions", "tier 2", "tier 3", "rti", "response to intervention",
            "multi tiered", "progress monitoring",
        ]),
        Entry(key: "grading", label: "Grading and assessment practices", keywords: [
            "grading", "grades", "assessment", "assessments", "equitable grading", "standards based", "formative",
            "feedback", "rubric",
        ]),
        Entry(key: "equity", label: "Equity and belonging", keywords: [
            "equity", "belonging", "inclusion", "inclusive", "culturally responsive", "bias", "diverse", "identity",
            "opportunity gap",
        ]),
        Entry(key: "literacy", label: "Literacy", keywords: [
            "literacy", "reading", "phonics", "writing", "science of reading", "comprehension", "readers", "fluency",
        ]),
        Entry(key: "mathematics", label: "Mathematics", keywords: [
            "math", "mathematics", "numeracy", "algebra", "fractions", "problem solving", "math instruction",
        ]),
        Entry(key: "sel", label: "Social-emotional learning and wellbeing", keywords: [
            "social emotional", "sel", "wellbeing", "well being", "mental health", "trauma", "anxiety", "behavior",
            "relationships",
        ]),
        Entry(key: "family", label: "Family and community engagement", keywords: [
            "family", "families", "parents", "parent engagement", "community", "community partners", "caregivers",
            "home",
        ]),
        Entry(key: "english-learners", label: "English learners", keywords: [
            "english learners", "multilingual", "ell", "esl", "language learners", "newcomer", "language development",
        ]),
        Entry(key: "special-education", label: "Special education and inclusion", keywords: [
            "special education", "iep", "disabilities", "inclusion", "co teaching", "students with disabilities",
            "accommodations",
        ]),
        Entry(key: "engagement", label: "Student engagement", keywords: [
            "engagement", "engaged", "student voice", "motivation", "disengaged", "participation", "interest",
        ]),
        Entry(key: "teacher-collaboration", label: "Teacher collaboration and retention", keywords: [
            "collaboration", "plc", "professional learning", "retention", "teacher turnover", "burnout", "coaching",
            "collaborative planning", "morale",
        ]),
        Entry(key: "data-use", label: "Data use", keywords: [
            "data", "data driven", "data use", "dashboards", "data meetings", "analyze data", "evidence",
        ]),
        Entry(key: "college-career", label: "College and career readiness", keywords: [
            "college", "career", "readiness", "postsecondary", "graduation", "pathways", "cte", "dual enrollment",
        ]),
    ])
}
