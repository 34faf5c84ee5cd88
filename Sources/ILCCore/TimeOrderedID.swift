import Foundation

/// UUID version 7 (RFC 9562): 48 bits of Unix time in milliseconds, then random bits.
/// Ids made later sort later, so a primary key on them keeps new rows together
/// and lists them in creation order without another index.
public enum TimeOrderedID {
    public static func make(at date: Date = Date()) -> UUID {
        var generator = SystemRandomNumberGenerator()
        return make(at: date, using: &generator)
    }

    /// `count` ids in ascending order, for rows made together that must list in the
    /// order they were given (ids of one millisecond differ only in random bits).
    public static func ascending(_ count: Int, at date: Date = Date()) -> [UUID] {
        var generator = SystemRandomNumberGenerator()
        // Sorted by their bytes (as PostgreSQL orders uuids), each turned into bytes once.
        return (0..<count).map { _ -> (key: [UInt8], id: UUID) in
            let id = make(at: date, using: &generator)
            return (withUnsafeBytes(of: id.uuid) { Array($0) }, id)
        }
        .sorted { $0.key.lexicographicallyPrecedes($1.key) }
        .map(\.id)
    }

    public static func make(at date: Date, using generator: inout some RandomNumberGenerator) -> UUID {
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        // Two 64-bit draws: the system generator makes one syscall per draw.
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        var bytes = (0..<16).map { index in
            UInt8(truncatingIfNeeded: (index < 8 ? high : low) >> UInt64(8 * (index % 8)))
        }
        for index in 0..<6 {
            bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> UInt64(8 * (5 - index)))
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x70  // version 7
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 9562 variant
        return UUID(bytes: bytes[...])
    }
}
