import Foundation
import OpenAPIRuntime

/// Dates in API bodies and headers as RFC 3339 UTC to the second (`2026-11-30T17:36:09Z`),
/// the runtime's default format. Writing is done here by arithmetic: the default goes
/// through a formatter behind a process-wide lock (and ICU), which cost a job poll
/// about 3 % of its CPU. Reading, rare and more lenient (offsets), stays with it.
struct UTCSecondsDateTranscoder: DateTranscoder {
    private let reader = ISO8601DateTranscoder()

    func encode(_ date: Date) throws -> String {
        // As the formatter does: to the nearest millisecond, then down to the second.
        let milliseconds = (date.timeIntervalSince1970 * 1_000).rounded()
        let seconds = Int64((milliseconds / 1_000).rounded(.down))
        let (days, secondOfDay) = seconds.quotientAndRemainder(dividingBy: 86_400)
        // Before 1970 the remainder is negative: borrow a day.
        let (day, second) = secondOfDay < 0 ? (days - 1, secondOfDay + 86_400) : (days, secondOfDay)
        let (year, month, dayOfMonth) = Self.civilDate(daysSince1970: day)
        // Far from today the formatter's calendar (Julian before 1582) is the reference.
        guard (1900...9999).contains(year) else { return try reader.encode(date) }
        var text = [UInt8]()
        text.reserveCapacity(20)
        func append(_ value: Int64, digits: Int) {
            var divisor: Int64 = 1
            for _ in 1..<digits { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                text.append(UInt8(ascii: "0") + UInt8(rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        append(year, digits: 4)
        text.append(UInt8(ascii: "-"))
        append(month, digits: 2)
        text.append(UInt8(ascii: "-"))
        append(dayOfMonth, digits: 2)
        text.append(UInt8(ascii: "T"))
        append(second / 3_600, digits: 2)
        text.append(UInt8(ascii: ":"))
        append(second % 3_600 / 60, digits: 2)
        text.append(UInt8(ascii: ":"))
        append(second % 60, digits: 2)
        text.append(UInt8(ascii: "Z"))
        return String(decoding: text, as: UTF8.self)
    }

    func decode(_ text: String) throws -> Date {
        try reader.decode(text)
    }

    /// Year, month and day of the proleptic Gregorian calendar for a day count from
    /// 1970-01-01 (Howard Hinnant's `civil_from_days`: 400-year eras of 146,097 days).
    static func civilDate(daysSince1970 days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
