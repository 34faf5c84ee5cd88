import Foundation
import ILCCore

/// Synthetic educators of one demo agency and their intake answers, from a seed: varied
/// roles, districts, schools and time zones, and answers that read the way educators
/// write about their work (each mostly about one concern, some about two).
struct DemoPopulation {
    struct Agency {
        let slug: String
        let name: String
        let kind: TenantKind
        let publicName: String
        let sharesWithNetwork: Bool
        let districts: [String]
        let timeZones: [String]
    }

    static let agencies = [
        Agency(
            slug: "demo-columbia", name: "State of Columbia Department of Education", kind: .state, publicName: "State of Columbia",
            sharesWithNetwork: true,
            districts: ["Riverside USD", "Cedar Falls SD", "Maple Grove SD", "Harbor City Schools", "Pine Ridge SD", "Lakeview USD"],
            timeZones: ["America/New_York", "America/Chicago"]),
        Agency(
            slug: "demo-northland", name: "Northland Ministry of Education", kind: .province, publicName: "Northland",
            sharesWithNetwork: true,
            districts: ["North Shore SD 12", "Prairie Valley SD 7", "Boreal SD 31", "Capital Region SD 4", "Lakehead SD 19"],
            timeZones: ["America/Winnipeg", "America/Toronto"]),
        Agency(
            slug: "demo-greatlakes", name: "Great Lakes Regional Consortium", kind: .consortium, publicName: "Great Lakes Consortium",
            sharesWithNetwork: false,
            districts: ["Bayport Schools", "Oak Hills SD", "Westfield USD", "Sandy Creek SD"],
            timeZones: ["America/Detroit"]),
    ]

    /// Concerns educators raise, each in several of their own phrasings.
    static let concerns: [(key: String, phrases: [String])] = [
        ("attendance", [
            "too many of our students miss more than ten percent of the school year",
            "chronic absenteeism keeps climbing in the middle grades",
            "families tell us getting kids to school every morning is a struggle",
            "tardies and absences pile up on Mondays and Fridays",
            "our attendance team needs a better way to reach families early",
        ]),
        ("literacy", [
            "too many third graders are not reading on grade level",
            "teachers want support with phonics and the science of reading",
            "reading comprehension scores stalled after the pandemic",
            "our students struggle to write about what they read",
            "we need a shared approach to fluency and comprehension",
        ]),
        ("mathematics", [
            "students lose confidence when math problems need more than one step",
            "fractions and proportional reasoning trip up our sixth graders",
            "algebra readiness is uneven across our middle schools",
            "teachers want richer math tasks instead of worksheets",
            "problem solving in math class is mostly the teacher talking",
        ]),
        ("sel", [
            "students need help managing anxiety and stress",
            "behavior referrals keep rising and staff feel worn out",
            "relationships between students and adults need rebuilding",
            "we want social emotional learning to be part of every classroom",
            "student wellbeing and mental health come up in every meeting",
        ]),
        ("mtss", [
            "our tier 2 interventions are not matched to what students need",
            "progress monitoring data sits in spreadsheets nobody reads",
            "the MTSS team meets but decisions are not followed through",
            "students stay in intervention groups for years without moving",
            "we need clear entry and exit rules for tier 3 support",
        ]),
        ("grading", [
            "grades mean different things from one classroom to the next",
            "we are moving to standards based grading and teachers are unsure",
            "students get feedback too late to use it",
            "formative assessment is done but rarely changes instruction",
            "our rubrics do not match what we say matters",
        ]),
    ]

    static let openings = [
        "In our building", "Across the district", "In my role", "This year", "Our leadership team sees that",
        "From classroom visits,", "Looking at our data,", "Honestly,",
    ]

    static let givenNames = [
        "Maria", "James", "Aisha", "Daniel", "Mei", "Carlos", "Priya", "Samuel", "Fatima", "Lucas", "Grace", "Omar", "Hannah",
        "Diego", "Nora", "Ethan", "Leila", "Marcus", "Sofia", "Kwame",
    ]
    static let familyNames = [
        "Alvarez", "Brooks", "Chen", "Dubois", "Edwards", "Fischer", "Garcia", "Haddad", "Ibrahim", "Johnson", "Kowalski",
        "Larsen", "Mensah", "Nguyen", "Okafor", "Patel", "Quinn", "Rossi", "Singh", "Tremblay",
    ]
    /// Most participants lead from classrooms and schools; a few from the central office.
    static let roles: [ParticipantRole] = [
        .teacherLeader, .teacherLeader, .teacherLeader, .instructionalCoach, .instructionalCoach, .principal, .principal,
        .assistantPrincipal, .centralOffice, .schoolPsychologist,
    ]

    /// `count` intake answers as the partner API takes them (JSON objects).
    static func responses(for agency: Agency, count: Int, seed: UInt64) -> [[String: Any]] {
        var random = SplitMixRandom(seed: seed)
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        // Each agency leans toward a few concerns, as real agencies do.
        let leaning = (0..<concerns.count).map { _ in 1 + Int(random.next() % 4) }
        let weighted = concerns.indices.flatMap { Array(repeating: $0, count: leaning[$0]) }
        return (0..<count).map { index in
            let concern = concerns[pick(weighted)]
            var answer = "\(pick(openings)) \(pick(concern.phrases))."
            if random.next() % 4 == 0 {
                answer += " We also notice that \(pick(pick(concerns).phrases))."
            }
            let district = pick(agency.districts)
            let name = "\(pick(givenNames)) \(pick(familyNames))"
            var participant: [String: Any] = [
                "external_id": "\(agency.slug)-\(index + 1)", "name": name, "role": pick(roles).rawValue, "district": district,
                "school": "\(district.split(separator: " ").first ?? "Central") School \(1 + random.next() % 6)",
                "time_zone": pick(agency.timeZones),
            ]
            participant["email"] = "\(agency.slug)-\(index + 1)@example.org"
            return ["participant": participant, "focus_statement": answer, "theme_preferences": [concern.key]]
        }
    }
}
