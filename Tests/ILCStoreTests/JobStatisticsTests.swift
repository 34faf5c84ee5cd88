import Foundation
import ILCTestSupport
import Testing

@testable import ILCStore

@Suite struct JobStatisticsTests {
    /// ANALYZE samples 300 rows per unit of the largest statistics target among a
    /// table's columns, so one column left at the default (100) brings back the
    /// 30,000-row sample migrations 0020 and 0021 removed; a column added to `jobs`
    /// later needs its target set too.
    @Test func analyzeOfJobsSamplesFewRows() async throws {
        try await TestDatabase.withApp { database in
            let targets = try await database.withQueueTransaction { transaction in
                try await transaction.query(
                    """
                    SELECT attname::text, attstattarget::int4 FROM pg_attribute
                    WHERE attrelid = 'jobs'::regclass AND attnum > 0 AND NOT attisdropped
                    """
                ).map { row in try row.decode((String, Int32).self) }
            }
            #expect(targets.count > 20)
            let sampled = targets.filter { $0.1 < 0 || $0.1 > 10 }.map(\.0)
            #expect(sampled.isEmpty, "columns with a statistics target above 10: \(sampled)")
        }
    }
}
