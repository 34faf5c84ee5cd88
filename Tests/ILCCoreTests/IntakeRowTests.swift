import Foundation
import ILCCore
import Testing

@Suite struct IntakeRowTests {
    private func row(_ change: (inout IntakeRow) -> Void = { _ in }) -> IntakeRow {
        var row = IntakeRow()
        row.externalID = " EDU-1 "
        row.name = "Dana Whitfield"
        row.role = "principal"
        row.district = "Northfield USD"
        row.focusStatement = "Chronic absenteeism"
        change(&row)
        return row
    }

    private func fields(_ row: IntakeRow) -> Set<String> {
        guard case .failure(let invalid) = row.validated() else { return [] }
        return Set(invalid.problems.map(\.field))
    }

    @Test func aGoodRowIsTrimmedAndTyped() throws {
        let draft = try row {
            $0.role = "Instructional-Coach"
            $0.email = "dana@northfield.k12.example"
            $0.school = "  "
            $0.timeZone = "America/Chicago"
            $0.improvementGoals = [" Goal ", ""]
            $0.submittedAt = "2026-09-14T15:20:00Z"
        }.validated().get()
        #expect(draft.participant.externalID == "EDU-1")
        #expect(draft.participant.role == .instructionalCoach)
        #expect(draft.participant.school == nil)
        #expect(draft.improvementGoals == ["Goal"])
        #expect(draft.submittedAt == Date(timeIntervalSince1970: 1_789_399_200))
    }

    @Test func everyBadFieldIsNamedAtOnce() {
        let bad = row {
            $0.externalID = nil
            $0.name = "   "
            $0.email = "not an email"
            $0.role = "janitor"
            $0.district = String(repeating: "d", count: 201)
            $0.timeZone = "Mars/Olympus"
            $0.focusStatement = "bell\u{7}"
            $0.improvementGoals = Array(repeating: "goal", count: 11)
            $0.themePreferences = ["literacy", "literacy"]
            $0.submittedAt = "2026-02-30T10:00:00Z"
        }
        #expect(fields(bad) == [
            "participant/external_id", "participant/name", "participant/email", "participant/role",
            "participant/district", "participant/time_zone", "focus_statement", "improvement_goals",
            "theme_preferences", "submitted_at",
        ])
        #expect(fields(row { $0.themePreferences = ["a", "b", "c", "d"] }) == ["theme_preferences"])
        #expect(fields(row { $0.improvementGoals = ["ok", "nul\u{0}"] }) == ["improvement_goals/1"])
    }

    @Test func timestampsFollowRFC3339Exactly() {
        let read = RFC3339Timestamp.date(from:)
        #expect(read("1970-01-01T00:00:00Z") == Date(timeIntervalSince1970: 0))
        #expect(read("2024-02-29t23:59:59.25-01:30") == Date(timeIntervalSince1970: 1_709_251_199.25 + 5_400))
        #expect(read("2016-12-31T23:59:60Z") == Date(timeIntervalSince1970: 1_483_228_800))
        #expect(read("2000-01-01 00:00:00+00:00") == Date(timeIntervalSince1970: 946_684_800))
        for bad in ["2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00",
                    "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00+0100", "2026-1-01T00:00:00Z", "yesterday"] {
            #expect(read(bad) == nil, "\(bad)")
        }
    }
}
