import Foundation
import OpenAPIRuntime
import Testing

@testable import ILCAPI

@Suite struct UTCSecondsDateTranscoderTests {
    /// The same text as the runtime's ISO 8601 transcoder, which it replaces for writing.
    @Test func writesWhatTheFormatterWrites() throws {
        let fast = UTCSecondsDateTranscoder()
        let reference = ISO8601DateTranscoder()
        var dates = [
            0, -0.5, -86_400, 951_868_799.999, 951_868_800, 4_107_542_400, 1_796_056_865.25, -2_208_988_800,
            253_402_300_799,
        ].map { Date(timeIntervalSince1970: $0) }
        // Every day of a leap year and its neighbours, at a time that changes each day.
        for day in 0..<(3 * 366) {
            dates.append(Date(timeIntervalSince1970: 946_684_800 + Double(day) * 86_400 + Double(day * 7_919 % 86_400) + 0.75))
        }
        // 1900 to 2200 in uneven steps, each also a hair on either side of its second
        // (the formatter rounds to the millisecond first).
        for step in 0..<5_000 {
            let time = -2_208_988_800 + Double(step) * 1_893_359.123_456_789
            dates += [time, time.rounded(.down) + 0.999_6, time.rounded(.down) - 0.000_4].map { Date(timeIntervalSince1970: $0) }
        }
        for date in dates {
            #expect(try fast.encode(date) == reference.encode(date), "\(date.timeIntervalSince1970)")
        }
    }

    @Test func readsWhatTheFormatterReads() throws {
        let fast = UTCSecondsDateTranscoder()
        #expect(try fast.decode("2026-11-30T17:36:09Z") == Date(timeIntervalSince1970: 1_796_060_169))
        #expect(try fast.decode("2026-11-30T18:36:09+01:00") == Date(timeIntervalSince1970: 1_796_060_169))
        #expect(throws: (any Error).self) { try fast.decode("30 November 2026") }
    }
}
