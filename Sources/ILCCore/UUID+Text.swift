import Foundation

/// UUID text without Foundation's `sprintf`/`sscanf`: the queue writes and reads
/// several ids per job, and formatting showed up in profiles.
extension UUID {
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// The same text as `uuidString` (uppercase, hyphenated).
    public var text: String {
        var output = [UInt8](repeating: UInt8(ascii: "-"), count: 36)
        var position = 0
        withUnsafeBytes(of: uuid) { bytes in
            for (index, byte) in bytes.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 { position += 1 }
                output[position] = Self.hexDigits[Int(byte >> 4)]
                output[position + 1] = Self.hexDigits[Int(byte & 0x0F)]
                position += 2
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Parses hyphenated UUID text in either case; nil for anything else.
    public init?(text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 36 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 16)
        var position = 0
        for index in 0..<16 {
            if index == 4 || index == 6 || index == 8 || index == 10 {
                guard utf8[position] == UInt8(ascii: "-") else { return nil }
                position += 1
            }
            guard let high = Self.nibble(utf8[position]), let low = Self.nibble(utf8[position + 1]) else { return nil }
            bytes[index] = high << 4 | low
            position += 2
        }
        self.init(bytes: bytes[...])
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
