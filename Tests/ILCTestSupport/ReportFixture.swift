import Foundation
import ILCCore
import ILCStore

/// A tenant's cycle with what every kind of report reads: 24 intake answers (North: 12
/// teacher leaders and 10 principals; South: 2 teacher leaders, below the threshold of
/// 10) and one collective with a placemat whose indicator has evidence on samples of
/// 120, 4 (never to be shown) and 118.
public struct ReportFixture: Sendable {
    public let tenantID: UUID
    public let cycleID: UUID
    public let collectiveID: UUID
    /// The evidence value about 4 people.
    public static let hiddenValue = 77.77

    public static func make(_ database: Database, tenantID: UUID) async throws -> ReportFixture {
        let cycle = try await CycleStore(database: database).create(
            tenantID: tenantID, name: "Report cycle", startsOn: nil, endsOn: nil, settings: CycleSettings())
        let people: [(String, ParticipantRole)] = Array(repeating: ("North", .teacherLeader), count: 12)
            + Array(repeating: ("North", .principal), count: 10) + Array(repeating: ("South", .teacherLeader), count: 2)
        _ = try await SurveyResponseStore(database: database).submit(
            tenantID: tenantID, cycleID: cycle.id,
            responses: people.enumerated().map { index, person in
                SurveyResponseDraft(
                    participant: ParticipantDraft(externalID: "p\(index)", name: "Person \(index)", role: person.1, district: person.0),
                    focusStatement: "attendance in the middle grades")
            })
        let collective = try await CollectiveStore(database: database).create(
            tenantID: tenantID, cycleID: cycle.id, name: "Attendance 1", facilitator: nil, themeID: nil)
        let placemat = try await PlacematStore(database: database).write(
            tenantID: tenantID, collectiveID: collective.id, expectedVersion: nil,
            draft: PlacematDraft(
                problemOfPractice: "Chronic absenteeism in grades 6 to 8",
                theoryOfAction: "If we call families every morning, then attendance rises",
                indicators: [IndicatorDraft(name: "Average daily attendance", kind: .lagging, baseline: 80, baselineOn: "2026-09-01", target: 95)]))
        let indicator = placemat.content.indicators.first?.id ?? UUID()
        _ = try await EvidenceStore(database: database).record(tenantID: tenantID, collectiveID: collective.id, drafts: [
            EvidenceDraft(indicatorID: indicator, category: .studentLearning, value: 84, sampleSize: 120, observedOn: "2026-10-01"),
            EvidenceDraft(indicatorID: indicator, category: .perceptions, value: hiddenValue, sampleSize: 4, observedOn: "2026-10-15"),
            EvidenceDraft(indicatorID: indicator, category: .studentLearning, value: 90, sampleSize: 118, observedOn: "2026-11-01"),
        ])
        return ReportFixture(tenantID: tenantID, cycleID: cycle.id, collectiveID: collective.id)
    }
}
