import Foundation
import ILCReports
import ILCTestSupport
import Testing

@testable import ILCStore

/// Reports count "indicators moving toward target" in SQL (tenant overview, network
/// summary: `ilc_indicator_progress`, migration 0016) and in Swift (cycle summary,
/// collective progress: `IndicatorProgress`). One rule, so both must answer alike.
@Suite struct IndicatorProgressRuleTests {
    @Test func theDatabaseAndTheReportsMeasureProgressAlike() async throws {
        let values: [Double?] = [nil, 0, 40, 50, 60, -5]
        var cases: [(direction: String, baseline: Double?, target: Double?, latest: Double?)] = []
        for direction in ["increase", "decrease"] {
            for baseline in values {
                for target in values {
                    for latest in values { cases.append((direction, baseline, target, latest)) }
                }
            }
        }
        // Text, '' for none: the driver binds no arrays of optionals.
        let text = { (values: [Double?]) in values.map { $0.map { String($0) } ?? "" } }
        let (directions, baselines, targets, latests) = (
            cases.map(\.direction), text(cases.map(\.baseline)), text(cases.map(\.target)), text(cases.map(\.latest)))
        let given = cases
        try await TestDatabase.withApp { database in
            let answers = try await database.withUnscopedTransaction { transaction in
                try await transaction.query(
                    """
                    SELECT ilc_indicator_progress(
                        direction, nullif(baseline, '')::float8, nullif(target, '')::float8, nullif(latest, '')::float8)
                    FROM unnest(\(directions)::text[], \(baselines)::text[], \(targets)::text[], \(latests)::text[])
                         WITH ORDINALITY AS given (direction, baseline, target, latest, position)
                    ORDER BY position
                    """
                ).map { try $0.decode(Double?.self) }
            }
            #expect(answers.count == given.count)
            for (given, answer) in zip(given, answers) {
                let expected = IndicatorProgress.of(
                    baseline: given.baseline, target: given.target, latest: given.latest,
                    decreaseIsProgress: given.direction == "decrease")
                #expect(answer.map { ($0 * 1e9).rounded() } == expected.map { ($0 * 1e9).rounded() }, "\(given)")
            }
            // The rule at work: moving the wrong way is negative, past the target above 1.
            #expect(answers.contains { ($0 ?? 0) < 0 } && answers.contains { ($0 ?? 0) > 1 })
        }
    }
}
